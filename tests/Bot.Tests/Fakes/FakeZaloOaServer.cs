using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Tests.Fakes;

/// <summary>One consultation message the fake OA API answered.</summary>
public sealed record ZaloOaCall(string Path, string? AccessToken, JsonObject Body, int Error)
{
    public string? UserId => Body["recipient"]?["user_id"]?.GetValue<string>();
    public string? Text => Body["message"]?["text"]?.GetValue<string>();
}

/// <summary>
/// A real HTTP server on 127.0.0.1 speaking Zalo's OA API v3 consultation message (POST /v3.0/oa/message/cs with an
/// access_token header; {"error": 0, "message": "Success", "data": {...}} or a negative error code): point
/// ZaloOa:ApiBaseUrl at <see cref="BaseUrl"/>. A wrong token gets -216 ("access token is invalid").
/// </summary>
public sealed class FakeZaloOaServer : IAsyncDisposable
{
    public const string AccessToken = "oa-access-token-for-tests-0123456789";
    public const string RefreshToken = "oa-refresh-token-for-tests-0123456789";
    public const string AppSecret = "app-secret-key-for-tests";

    private readonly Lock sync = new();
    private readonly List<ZaloOaCall> calls = [];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication app = null!;
    private long nextMessageId = 1;
    private string validAccess = AccessToken;
    private string validRefresh = RefreshToken;
    private int refreshes;
    private int refreshAttempts;

    public string BaseUrl { get; private set; } = "";

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
        lock (sync)
        {
            var user = body["recipient"]?["user_id"]?.GetValue<string>();
            answer = http.Request.Path != "/v3.0/oa/message/cs" || http.Request.Method != "POST" ? Error(-201, "Method is not supported")
                : token != validAccess ? Error(-216, "Access token is invalid")
                : user is null || body["message"]?["text"]?.GetValue<string>() is not { Length: > 0 and <= 2000 } ? Error(-201, "Parameters are invalid")
                : new JsonObject
                {
                    ["error"] = 0, ["message"] = "Success",
                    ["data"] = new JsonObject { ["message_id"] = "oa-msg-" + nextMessageId++, ["user_id"] = user },
                };
            calls.Add(new ZaloOaCall(http.Request.Path, token, body, answer["error"]!.GetValue<int>()));
            changed.TrySetResult();
            changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
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
}
