using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Tests.Fakes;

/// <summary>One message the fake OA API answered (consultation or promotion).</summary>
public sealed record ZaloOaCall(string Path, string? AccessToken, JsonObject Body, int Error)
{
    public const string Consultation = "/v3.0/oa/message/cs";
    public const string Promotion = "/v3.0/oa/message/promotion";

    public string? UserId => Body["recipient"]?["user_id"]?.GetValue<string>();

    /// <summary>The text the resident reads: a consultation's text, or a promotion's text elements joined.</summary>
    public string? Text => Path == Promotion
        ? string.Join("\n", PromotionElements.Where(e => e?["type"]?.GetValue<string>() == "text").Select(e => e!["content"]!.GetValue<string>()))
        : Body["message"]?["text"]?.GetValue<string>();

    /// <summary>The buttons under a consultation message: (title, type, payload).</summary>
    public IReadOnlyList<(string Title, string Type, string Payload)> Buttons =>
        (Body["message"]?["attachment"]?["payload"]?["buttons"]?.AsArray() ?? [])
        .Select(b => (b!["title"]!.GetValue<string>(), b["type"]!.GetValue<string>(), b["payload"]!.ToString())).ToList();

    private IEnumerable<JsonNode?> PromotionElements => Body["message"]?["attachment"]?["payload"]?["elements"]?.AsArray() ?? [];
}

/// <summary>
/// A real HTTP server on 127.0.0.1 speaking Zalo's OA API v3 messages (POST /v3.0/oa/message/cs and
/// /v3.0/oa/message/promotion with an access_token header; {"error": 0, "message": "Success", "data": {...}} or a
/// negative error code) and the OAuth v4 refresh: point ZaloOa:ApiBaseUrl and ZaloOa:OAuthBaseUrl at <see cref="BaseUrl"/>.
/// A wrong token gets -216 ("access token is invalid"); a user in <see cref="BlockOa"/> -217; a promotion beyond
/// <see cref="PromotionQuota"/> -211 ("out of quota").
/// </summary>
public sealed class FakeZaloOaServer : IAsyncDisposable
{
    public const string AccessToken = "oa-access-token-for-tests-0123456789";
    public const string RefreshToken = "oa-refresh-token-for-tests-0123456789";
    public const string AppSecret = "app-secret-key-for-tests";
    public const string AppId = "2553928453557884079";
    public const string OaSecretKey = "oa-secret-key-for-tests";

    private readonly Lock sync = new();
    private readonly List<ZaloOaCall> calls = [];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication app = null!;
    private long nextMessageId = 1;
    private string validAccess = AccessToken;
    private string validRefresh = RefreshToken;
    private int refreshes;
    private int refreshAttempts;
    private int? expireAfter;
    private readonly HashSet<string> blocked = [];

    /// <summary>False: calls are not kept (benchmarks); <see cref="OnCall"/> still sees each.</summary>
    public bool KeepCalls { get; set; } = true;

    /// <summary>Runs for every message call, before the fake answers it.</summary>
    public Action<ZaloOaCall>? OnCall { get; set; }

    /// <summary>Promotion messages the OA may still send (null: no limit); beyond them Zalo answers -211.</summary>
    public int? PromotionQuota { get; set; }

    public string BaseUrl { get; private set; } = "";

    /// <summary>The bot's settings for an OA served by this fake.</summary>
    public string[] BotArgs =>
    [
        $"--ZaloOa:AppId={AppId}", $"--ZaloOa:OaSecretKey={OaSecretKey}", $"--ZaloOa:AccessToken={AccessToken}",
        $"--ZaloOa:RefreshToken={RefreshToken}", $"--ZaloOa:AppSecret={AppSecret}", $"--ZaloOa:ApiBaseUrl={BaseUrl}", $"--ZaloOa:OAuthBaseUrl={BaseUrl}",
    ];

    public IReadOnlyList<ZaloOaCall> Calls { get { lock (sync) return [.. calls]; } }

    /// <summary>How many refreshes /v4/oa/access_token granted.</summary>
    public int Refreshes { get { lock (sync) return refreshes; } }

    /// <summary>How many refreshes were asked for, refused ones (a spent refresh token) included.</summary>
    public int RefreshAttempts { get { lock (sync) return refreshAttempts; } }

    /// <summary>How long a refresh takes to answer: a slow refresh lets every sender meet the expired token meanwhile.</summary>
    public TimeSpan RefreshDelay { get; set; }

    /// <summary>The access token in force expires: sends with it get -216 until a refresh.</summary>
    public void ExpireAccessToken()
    {
        lock (sync) validAccess = "expired-" + Guid.NewGuid().ToString("N");
    }

    /// <summary>The token in force expires after n more accepted messages: a broadcast meets -216 in its middle.</summary>
    public void ExpireAccessTokenAfter(int n)
    {
        lock (sync) expireAfter = n;
    }

    /// <summary>The refresh token held by the bot no longer works (revoked, expired): refreshes get -14014.</summary>
    public void RevokeRefreshToken()
    {
        lock (sync) validRefresh = "revoked-" + Guid.NewGuid().ToString("N");
    }

    /// <summary>The refresh token the OAuth server takes from now on (a token pair got elsewhere).</summary>
    public void AcceptRefreshToken(string refreshToken)
    {
        lock (sync) validRefresh = refreshToken;
    }

    /// <summary>The user blocked the OA: messages to them get -217.</summary>
    public void BlockOa(string userId)
    {
        lock (sync) blocked.Add(userId);
    }

    public static async Task<FakeZaloOaServer> StartAsync()
    {
        var server = new FakeZaloOaServer();
        (server.app, server.BaseUrl) = await LoopbackServer.StartAsync(server.HandleAsync);
        return server;
    }

    /// <summary>Waits for the n-th accepted message to userId and returns it.</summary>
    public async Task<ZaloOaCall> NthMessageToAsync(string userId, int n)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            Task next;
            lock (sync)
            {
                var matching = calls.Where(c => c.UserId == userId && c.Error == 0).ToList();
                if (matching.Count >= n) return matching[n - 1];
                next = changed.Task;
            }
            try { await next.WaitAsync(cts.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"Expected {n} message(s) to {userId}; recorded {Calls.Count} call(s)"); }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        if (http.Request.Path == "/v4/oa/access_token")
        {
            await http.Response.WriteAsJsonAsync(await RefreshAsync(http.Request));
            return;
        }
        JsonObject body;
        try { body = await JsonSerializer.DeserializeAsync<JsonObject>(http.Request.Body) ?? []; }
        catch (JsonException) { body = []; }
        var token = http.Request.Headers["access_token"].ToString();
        JsonObject answer;
        ZaloOaCall call;
        lock (sync)
        {
            var user = body["recipient"]?["user_id"]?.GetValue<string>();
            var path = http.Request.Path.Value ?? "";
            var promotion = path == ZaloOaCall.Promotion;
            answer = path is not (ZaloOaCall.Consultation or ZaloOaCall.Promotion) || http.Request.Method != "POST" ? Error(-201, "Method is not supported")
                : token != validAccess ? Error(-216, "Access token is invalid")
                : user is null || !(promotion ? IsPromotion(body["message"]) : IsConsultation(body["message"])) ? Error(-201, "Parameters are invalid")
                : blocked.Contains(user) ? Error(-217, "User has blocked invitations from this OA")
                : promotion && PromotionQuota is <= 0 ? Error(-211, "Out of quota")
                : new JsonObject
                {
                    ["error"] = 0, ["message"] = "Success",
                    ["data"] = new JsonObject { ["message_id"] = "oa-msg-" + nextMessageId++, ["user_id"] = user },
                };
            if (answer["error"]!.GetValue<int>() == 0)
            {
                if (promotion && PromotionQuota is { } quota) PromotionQuota = quota - 1;
                if (expireAfter is { } left && (expireAfter = left - 1) == 0)
                {
                    expireAfter = null;
                    validAccess = "expired-" + Guid.NewGuid().ToString("N");
                }
            }
            call = new ZaloOaCall(path, token, body, answer["error"]!.GetValue<int>());
            if (KeepCalls)
            {
                calls.Add(call);
                changed.TrySetResult();
                changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
        OnCall?.Invoke(call);
        // Zalo answers HTTP 200 with the error in the body.
        await http.Response.WriteAsJsonAsync(answer);
    }

    /// <summary>OAuth v4 refresh: the refresh token is single-use; a spent or wrong one is refused (-14014).</summary>
    private async Task<JsonObject> RefreshAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        await Task.Delay(RefreshDelay);
        lock (sync)
        {
            refreshAttempts++;
            if (request.Headers["secret_key"] != AppSecret || form["grant_type"] != "refresh_token")
                return new JsonObject { ["error"] = -14002, ["error_name"] = "Invalid app secret or grant type" };
            if (form["refresh_token"] != validRefresh)
                return new JsonObject { ["error"] = -14014, ["error_name"] = "Invalid refresh token" };
            refreshes++;
            validAccess = $"oa-access-{refreshes}-{Guid.NewGuid():N}";
            validRefresh = $"oa-refresh-{refreshes}-{Guid.NewGuid():N}";
            return new JsonObject { ["access_token"] = validAccess, ["refresh_token"] = validRefresh, ["expires_in"] = "90000" };
        }
    }

    private static JsonObject Error(int code, string message) => new() { ["error"] = code, ["message"] = message };

    /// <summary>A text of 1–2,000 characters, with at most five buttons (a title of 1–100 characters; a query's payload of 1–1,000).</summary>
    private static bool IsConsultation(JsonNode? message)
    {
        if (message?["text"]?.GetValue<string>() is not { Length: > 0 and <= 2000 }) return false;
        if (message["attachment"] is not { } attachment) return true;
        return attachment["type"]?.GetValue<string>() == "template" && attachment["payload"]?["buttons"] is JsonArray { Count: > 0 and <= 5 } buttons
            && buttons.All(b => b?["title"]?.GetValue<string>() is { Length: > 0 and <= 100 } && b["type"]?.GetValue<string>() switch
            {
                "oa.query.show" or "oa.query.hide" => b["payload"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
                    && b["payload"]!.GetValue<string>() is { Length: > 0 and <= 1000 },
                "oa.open.url" => b["payload"]?["url"]?.GetValue<string>() is { Length: > 0 },
                _ => false,
            });
    }

    /// <summary>The promotion template of OA API v3: a header of at most 100 characters and text elements.</summary>
    private static bool IsPromotion(JsonNode? message)
    {
        var payload = message?["attachment"]?["payload"];
        if (message?["attachment"]?["type"]?.GetValue<string>() != "template" || payload?["template_type"]?.GetValue<string>() != "promotion"
            || payload["elements"] is not JsonArray { Count: > 0 } elements)
            return false;
        return elements.All(e => e?["type"]?.GetValue<string>() switch
        {
            "header" => e["content"]?.GetValue<string>() is { Length: > 0 and <= 100 },
            "text" => e["content"]?.GetValue<string>() is { Length: > 0 and <= 2000 },
            _ => false,
        });
    }
}
