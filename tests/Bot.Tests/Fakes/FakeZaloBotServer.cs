using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Tests.Fakes;

/// <summary>One call the fake Zalo Bot server answered.</summary>
public sealed record ZaloBotCall(string Method, JsonObject Body, int StatusCode)
{
    public string? ChatId => Body["chat_id"]?.GetValue<string>();
    public string? Text => Body["text"]?.GetValue<string>();
}

/// <summary>
/// A real HTTP server on 127.0.0.1 speaking the Zalo Bot Platform API (POST /bot{token}/{method}, JSON answers
/// {"ok", "result"} or {"ok": false, "error_code", "description"}): point ZaloBot:ApiBaseUrl at <see cref="BaseUrl"/>.
/// It records every call, serves queued events through getUpdates (one per call, 408 when the long poll times out, as
/// Zalo does), and answers 403 for chats marked blocked.
/// </summary>
public sealed partial class FakeZaloBotServer : IAsyncDisposable
{
    public const string Token = "1234567890:ZaloFakeToken_abcdef-0123";

    private readonly Lock sync = new();
    private readonly List<ZaloBotCall> calls = [];
    private readonly Queue<JsonObject> pending = [];
    private readonly HashSet<string> blocked = [];
    private readonly CancellationTokenSource stopping = new();
    private TaskCompletionSource changed = NewSignal();
    private WebApplication app = null!;
    private long nextMessageId = 1;

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<ZaloBotCall> Calls { get { lock (sync) return [.. calls]; } }

    public static async Task<FakeZaloBotServer> StartAsync()
    {
        var server = new FakeZaloBotServer();
        (server.app, server.BaseUrl) = await LoopbackServer.StartAsync(server.HandleAsync);
        return server;
    }

    /// <summary>Queues an event for getUpdates.</summary>
    public void EnqueueUpdate(JsonObject update)
    {
        lock (sync)
        {
            pending.Enqueue(update);
            Signal();
        }
    }

    /// <summary>From now on sendMessage to chatId answers 403, as for a user who blocked the bot.</summary>
    public void BlockChat(string chatId)
    {
        lock (sync) blocked.Add(chatId);
    }

    public async Task<IReadOnlyList<ZaloBotCall>> WaitForAsync(Func<ZaloBotCall, bool> predicate, int count = 1)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            Task next;
            lock (sync)
            {
                var matching = calls.Where(predicate).ToList();
                if (matching.Count >= count) return matching;
                next = changed.Task;
            }
            try { await next.WaitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Expected {count} matching call(s); recorded: {string.Join(", ", Calls.Select(c => $"{c.Method}→{c.StatusCode}"))}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        stopping.Dispose();
    }

    [GeneratedRegex("^/bot(?<token>[^/]+)/(?<method>[A-Za-z]+)$")]
    private static partial Regex MethodPath();

    private async Task HandleAsync(HttpContext http)
    {
        var match = MethodPath().Match(http.Request.Path.Value ?? "");
        JsonObject body;
        try { body = await JsonSerializer.DeserializeAsync<JsonObject>(http.Request.Body) ?? []; }
        catch (JsonException) { body = []; }
        var method = match.Groups["method"].Value;
        var (status, answer) = !match.Success ? Error(404, "Not Found")
            : match.Groups["token"].Value != Token ? Error(401, "Unauthorized")
            : method == "getUpdates" ? await GetUpdatesAsync(body, http.RequestAborted)
            : Execute(method, body);
        lock (sync)
        {
            calls.Add(new ZaloBotCall(method, body, status));
            Signal();
        }
        http.Response.StatusCode = status;
        await http.Response.WriteAsJsonAsync(answer);
    }

    private (int, JsonObject) Execute(string method, JsonObject body)
    {
        lock (sync)
        {
            if (body["chat_id"]?.GetValue<string>() is { } chat && blocked.Contains(chat))
                return Error(403, "Forbidden: user has blocked the bot");
            return method switch
            {
                "getMe" => Ok(new JsonObject { ["id"] = "987654321", ["account_name"] = "bot.xa_thu_nghiem", ["display_name"] = "Trợ lý số của xã" }),
                "sendMessage" when body["chat_id"] is null || body["text"]?.GetValue<string>() is not { Length: > 0 and <= 2000 } =>
                    Error(400, "Bad Request: chat_id and text (1-2000 characters) are required"),
                "sendMessage" => Ok(new JsonObject { ["message_id"] = (nextMessageId++).ToString(), ["date"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }),
                "setWebhook" when body["secret_token"] is null => Error(400, "Bad Request: secret_token is required"),
                "setWebhook" or "deleteWebhook" or "sendChatAction" => Ok(true),
                _ => Error(404, "Not Found: method not found"),
            };
        }
    }

    private async Task<(int, JsonObject)> GetUpdatesAsync(JsonObject body, CancellationToken aborted)
    {
        var timeout = int.TryParse(body["timeout"]?.ToString(), out var seconds) ? seconds : 30;
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping.Token);
        poll.CancelAfter(TimeSpan.FromSeconds(timeout));
        while (true)
        {
            Task next;
            lock (sync)
            {
                if (pending.TryDequeue(out var update)) return Ok(update);
                if (poll.IsCancellationRequested) return Error(408, "Request timeout");
                next = changed.Task;
            }
            try { await next.WaitAsync(poll.Token); }
            catch (OperationCanceledException) { }
        }
    }

    private static (int, JsonObject) Ok(JsonNode result) => (200, new JsonObject { ["ok"] = true, ["result"] = result });

    private static (int, JsonObject) Error(int code, string description) =>
        (code, new JsonObject { ["ok"] = false, ["error_code"] = code, ["description"] = description });

    private void Signal()
    {
        changed.TrySetResult();
        changed = NewSignal();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>Zalo Bot Platform events as Zalo sends them.</summary>
public static class ZaloBotEventJson
{
    private static long nextMessageId = 5_000_000;

    public static JsonObject Text(string userId, string text, string name = "Lan") => Event("message.text.received", userId, name, text);

    public static JsonObject Sticker(string userId) => Event("message.sticker.received", userId, "Lan", null);

    private static JsonObject Event(string eventName, string userId, string name, string? text)
    {
        var message = new JsonObject
        {
            ["message_id"] = "m" + Interlocked.Increment(ref nextMessageId),
            ["from"] = new JsonObject { ["id"] = userId, ["display_name"] = name, ["is_bot"] = false },
            ["chat"] = new JsonObject { ["id"] = userId, ["chat_type"] = "PRIVATE" },
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        if (text is not null) message["text"] = text;
        else message["sticker"] = "https://zalo-api.zadn.vn/sticker/1";
        return new JsonObject { ["event_name"] = eventName, ["message"] = message };
    }
}
