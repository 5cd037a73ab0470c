using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Fakes;

/// <summary>One call the fake server answered: Body holds the JSON body, or the form/query fields as strings.</summary>
public sealed record RecordedCall(string Method, JsonObject Body, DateTimeOffset At, int StatusCode)
{
    public long? ChatId => FakeTelegramServer.ReadLong(Body, "chat_id");
    public string? Text => Body["text"]?.GetValue<string>();
}

/// <summary>
/// A real HTTP server on 127.0.0.1 speaking the Telegram Bot API (POST/GET /bot{token}/{method}), for tests of
/// anything that talks to Telegram: point Telegram:ApiBaseUrl at <see cref="BaseUrl"/> and Telegram:BotToken at
/// <see cref="Token"/>. It records every call, serves updates queued with <see cref="EnqueueUpdate(JsonObject)"/>
/// through getUpdates (long polling and offset confirmation included) and injects the failures Telegram produces.
/// </summary>
public sealed partial class FakeTelegramServer : IAsyncDisposable
{
    public const long DefaultBotId = 123456789;
    public const string DefaultToken = "123456789:AAFakeTokenForTests_0123456789abcdef";
    public const string BotUsername = "xa_thu_nghiem_bot";

    private readonly Lock _sync = new();
    private readonly List<RecordedCall> _calls = [];
    private readonly List<JsonObject> _pendingUpdates = [];
    private readonly Dictionary<string, Queue<Failure>> _failures = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Queue<TimeSpan>> _delays = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<long> _blockedChats = [];
    private readonly HashSet<string> _nullResults = new(StringComparer.OrdinalIgnoreCase);
    private readonly Queue<DateTimeOffset> _acceptedSends = [];
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _changed = NewSignal();
    private WebApplication _app = null!;
    private long _nextUpdateId = 1000;
    private long _nextMessageId = 1;
    private int? _sendLimitPerSecond;
    private int _rateLimitedCount;

    public string Token { get; }

    /// <summary>Benchmarks turn recording off (memory stays flat) and observe calls through OnCall instead.</summary>
    public bool KeepCalls { get; set; } = true;

    /// <summary>Called for every request after it is answered, on the server's thread.</summary>
    public Action<RecordedCall>? OnCall { get; set; }
    public string BaseUrl { get; private set; } = "";

    /// <summary>How many 429s <see cref="EnforceRateLimit"/> has answered.</summary>
    public int RateLimitedCount { get { lock (_sync) return _rateLimitedCount; } }

    public IReadOnlyList<RecordedCall> Calls { get { lock (_sync) return [.. _calls]; } }

    public IReadOnlyList<RecordedCall> CallsTo(string method) =>
        Calls.Where(c => c.Method.Equals(method, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>Updates queued and not yet confirmed by a getUpdates offset.</summary>
    public int PendingUpdateCount { get { lock (_sync) return _pendingUpdates.Count; } }

    private FakeTelegramServer(string token) => Token = token;

    public static async Task<FakeTelegramServer> StartAsync(string token = DefaultToken)
    {
        var server = new FakeTelegramServer(token);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        server._app = builder.Build();
        server._app.Run(server.HandleAsync);
        await server._app.StartAsync();
        server.BaseUrl = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    /// <summary>Queues an update for getUpdates; update_id is assigned when missing. Returns the update_id.</summary>
    public long EnqueueUpdate(JsonObject update)
    {
        lock (_sync)
        {
            if (ReadLong(update, "update_id") is { } id) _nextUpdateId = Math.Max(_nextUpdateId, id + 1);
            else update["update_id"] = id = _nextUpdateId++;
            _pendingUpdates.Add(update);
            Signal();
            return id;
        }
    }

    public long EnqueueUpdate(string json) => EnqueueUpdate(JsonNode.Parse(json)!.AsObject());

    /// <summary>
    /// The next count calls of method are answered with statusCode (429 carries parameters.retry_after, 1 s by default)
    /// instead of being executed.
    /// </summary>
    public void FailNext(string method, int count, int statusCode, int? retryAfter = null, string? description = null)
    {
        lock (_sync)
        {
            if (!_failures.TryGetValue(method, out var queue)) _failures[method] = queue = new Queue<Failure>();
            for (var i = 0; i < count; i++) queue.Enqueue(new Failure(statusCode, description ?? DefaultDescription(statusCode, retryAfter ?? 1), retryAfter));
        }
    }

    /// <summary>
    /// The next count calls of method are executed (a message is delivered) but answered only after delay: a client
    /// with a shorter time-out cannot tell whether they arrived.
    /// </summary>
    public void DelayNext(string method, int count, TimeSpan delay)
    {
        lock (_sync)
        {
            if (!_delays.TryGetValue(method, out var queue)) _delays[method] = queue = new Queue<TimeSpan>();
            for (var i = 0; i < count; i++) queue.Enqueue(delay);
        }
    }

    /// <summary>
    /// From now on method answers {"ok": true, "result": null}, as some Bot API servers do for acknowledgements
    /// (telegram-test-api's answerCallbackQuery): not what the Bot API documents, so a client cannot read it.
    /// </summary>
    public void AnswerNullResult(string method)
    {
        lock (_sync) _nullResults.Add(method);
    }

    /// <summary>From now on sendMessage (and other chat methods) to chatId answer 403 "Forbidden: bot was blocked by the user".</summary>
    public void BlockChat(long chatId)
    {
        lock (_sync) _blockedChats.Add(chatId);
    }

    /// <summary>sendMessage answers 429 retry_after 1 when it has accepted perSecond messages in the last second.</summary>
    public void EnforceRateLimit(int perSecond)
    {
        lock (_sync) _sendLimitPerSecond = perSecond;
    }

    /// <summary>Waits until count recorded calls match (default 1) and returns the matching calls.</summary>
    public async Task<IReadOnlyList<RecordedCall>> WaitForAsync(Func<RecordedCall, bool> predicate, int count = 1, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            Task changed;
            lock (_sync)
            {
                var matching = _calls.Where(predicate).ToList();
                if (matching.Count >= count) return matching;
                changed = _changed.Task;
            }
            try { await changed.WaitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Expected {count} matching call(s); recorded: {string.Join(", ", Calls.Select(c => $"{c.Method}→{c.StatusCode}"))}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopTimeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    [GeneratedRegex("^/bot(?<token>[^/]+)/(?<method>[A-Za-z]+)$")]
    private static partial Regex MethodPath();

    private async Task HandleAsync(HttpContext http)
    {
        var match = MethodPath().Match(http.Request.Path.Value ?? "");
        if (!match.Success)
        {
            await AnswerAsync(http, Error(404, "Not Found"));
            return;
        }
        var arrivedAt = DateTimeOffset.UtcNow;
        var method = match.Groups["method"].Value;
        var body = await ReadBodyAsync(http.Request);
        var answer = match.Groups["token"].Value != Token
            ? Error(401, "Unauthorized")
            : method.Equals("getUpdates", StringComparison.OrdinalIgnoreCase)
                ? await GetUpdatesAsync(body, http.RequestAborted)
                : Execute(method, body);
        TimeSpan? delay = null;
        lock (_sync)
            if (_delays.TryGetValue(method, out var delays) && delays.TryDequeue(out var d)) delay = d;
        var call = new RecordedCall(method, body, arrivedAt, answer.Status);
        if (KeepCalls)
            lock (_sync)
            {
                _calls.Add(call);
                Signal();
            }
        OnCall?.Invoke(call);
        if (delay is { } wait) await Task.Delay(wait, _stopping.Token).ContinueWith(_ => { });
        await AnswerAsync(http, answer);
    }

    private Answer Execute(string method, JsonObject body)
    {
        lock (_sync)
        {
            if (_failures.TryGetValue(method, out var queue) && queue.TryDequeue(out var failure))
                return Error(failure.Status, failure.Description, failure.Status == 429 ? failure.RetryAfter ?? 1 : null);

            var isSend = method.Equals("sendMessage", StringComparison.OrdinalIgnoreCase);
            if (isSend && _sendLimitPerSecond is { } limit)
            {
                var now = DateTimeOffset.UtcNow;
                while (_acceptedSends.TryPeek(out var at) && now - at >= TimeSpan.FromSeconds(1)) _acceptedSends.Dequeue();
                if (_acceptedSends.Count >= limit)
                {
                    _rateLimitedCount++;
                    return Error(429, DefaultDescription(429, 1), 1);
                }
                _acceptedSends.Enqueue(now);
            }

            if (ReadLong(body, "chat_id") is { } chat && _blockedChats.Contains(chat))
                return Error(403, "Forbidden: bot was blocked by the user");
            if (_nullResults.Contains(method)) return new Answer(200, new JsonObject { ["ok"] = true, ["result"] = null });

            return method.ToLowerInvariant() switch
            {
                "getme" => Ok(BotUser()),
                "sendmessage" => Ok(SentMessage(body)),
                "setwebhook" or "deletewebhook" or "setmycommands" or "answercallbackquery" or "editmessagereplymarkup" or "sendchataction" => Ok(true),
                _ => Error(404, "Not Found: method not found"),
            };
        }
    }

    private async Task<Answer> GetUpdatesAsync(JsonObject body, CancellationToken aborted)
    {
        var offset = ReadLong(body, "offset");
        var limit = (int)(ReadLong(body, "limit") ?? 100);
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(aborted, _stopping.Token);
        poll.CancelAfter(TimeSpan.FromSeconds(ReadLong(body, "timeout") ?? 0));
        while (true)
        {
            Task changed;
            lock (_sync)
            {
                if (_failures.TryGetValue("getUpdates", out var queue) && queue.TryDequeue(out var failure))
                    return Error(failure.Status, failure.Description, failure.Status == 429 ? failure.RetryAfter ?? 1 : null);
                if (offset is { } confirmedBelow) _pendingUpdates.RemoveAll(u => ReadLong(u, "update_id") < confirmedBelow);
                if (_pendingUpdates.Count > 0 || poll.IsCancellationRequested)
                    return Ok(new JsonArray([.. _pendingUpdates.Take(limit).Select(u => u.DeepClone())]));
                changed = _changed.Task;
            }
            try { await changed.WaitAsync(poll.Token); }
            catch (OperationCanceledException) { /* time-out: answer what there is, i.e. nothing */ }
        }
    }

    private JsonObject BotUser() => BotUserJson(long.Parse(Token[..Token.IndexOf(':')]));

    internal static JsonObject BotUserJson(long botId = DefaultBotId) => new()
    {
        ["id"] = botId,
        ["is_bot"] = true,
        ["first_name"] = "Trợ lý số của xã",
        ["username"] = BotUsername,
    };

    private JsonObject SentMessage(JsonObject body)
    {
        var chatId = ReadLong(body, "chat_id") ?? 0;
        var message = new JsonObject
        {
            ["message_id"] = _nextMessageId++,
            ["from"] = BotUser(),
            ["chat"] = chatId > 0
                ? new JsonObject { ["id"] = chatId, ["type"] = "private", ["first_name"] = "Cư dân" }
                : new JsonObject { ["id"] = chatId, ["type"] = "supergroup", ["title"] = "Nhóm thôn" },
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["text"] = body["text"]?.DeepClone(),
        };
        if (body["reply_markup"] is { } markup) message["reply_markup"] = markup.DeepClone();
        return message;
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpRequest request)
    {
        var fields = new JsonObject();
        foreach (var (key, value) in request.Query) fields[key] = value.ToString();
        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync()) fields[key] = value.ToString();
        }
        else if (request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            if (await JsonNode.ParseAsync(request.Body) is JsonObject json)
                foreach (var (key, value) in json) fields[key] = value?.DeepClone();
        }
        return fields;
    }

    /// <summary>A number sent as JSON number or as a string (form fields, query string).</summary>
    internal static long? ReadLong(JsonObject body, string name) => body[name] switch
    {
        JsonValue v when v.TryGetValue<long>(out var n) => n,
        JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, out var n) => n,
        _ => null,
    };

    private static string DefaultDescription(int status, int retryAfter) => status switch
    {
        400 => "Bad Request: chat not found",
        401 => "Unauthorized",
        403 => "Forbidden: bot was blocked by the user",
        429 => $"Too Many Requests: retry after {retryAfter}",
        502 => "Bad Gateway",
        _ => "Internal Server Error",
    };

    private static Answer Ok(JsonNode result) => new(200, new JsonObject { ["ok"] = true, ["result"] = result });

    private static Answer Error(int status, string description, int? retryAfter = null)
    {
        var json = new JsonObject { ["ok"] = false, ["error_code"] = status, ["description"] = description };
        if (retryAfter is { } seconds) json["parameters"] = new JsonObject { ["retry_after"] = seconds };
        return new Answer(status, json);
    }

    private static Task AnswerAsync(HttpContext http, Answer answer)
    {
        http.Response.StatusCode = answer.Status;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(answer.Json.ToJsonString());
    }

    private void Signal()
    {
        _changed.TrySetResult();
        _changed = NewSignal();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record Failure(int Status, string Description, int? RetryAfter);
    private sealed record Answer(int Status, JsonObject Json);
}

/// <summary>Realistic Update JSON (without update_id: <see cref="FakeTelegramServer.EnqueueUpdate(JsonObject)"/> assigns it).</summary>
public static class TelegramUpdateJson
{
    private static long _nextMessageId = 5000;

    public static JsonObject PrivateText(long userId, string text, string firstName = "Lan") =>
        Update("message", Message(PrivateChat(userId, firstName), userId, firstName, m => m["text"] = text));

    /// <summary>"/start" or "/start payload" with its bot_command entity.</summary>
    public static JsonObject Command(long userId, string command, string? payload = null, string firstName = "Lan")
    {
        var text = payload is null ? $"/{command}" : $"/{command} {payload}";
        return Update("message", Message(PrivateChat(userId, firstName), userId, firstName, m =>
        {
            m["text"] = text;
            m["entities"] = new JsonArray(Entity("bot_command", 0, command.Length + 1));
        }));
    }

    /// <summary>A tap on an inline button under the bot's message messageId.</summary>
    public static JsonObject CallbackQuery(long userId, string data, long messageId = 1, string firstName = "Lan") =>
        Update("callback_query", new JsonObject
        {
            ["id"] = $"{userId}{Interlocked.Increment(ref _nextMessageId)}",
            ["from"] = Person(userId, firstName),
            ["message"] = new JsonObject
            {
                ["message_id"] = messageId,
                ["from"] = FakeTelegramServer.BotUserJson(),
                ["chat"] = PrivateChat(userId, firstName),
                ["date"] = Now(),
                ["text"] = "Bạn muốn hỏi về chủ đề nào?",
            },
            ["chat_instance"] = "-4518331240916254321",
            ["data"] = data,
        });

    /// <summary>"@bot_username text" in a supergroup (groupChatId is negative).</summary>
    public static JsonObject GroupMention(long groupChatId, long userId, string text, string firstName = "Hùng")
    {
        var mention = "@" + FakeTelegramServer.BotUsername;
        var chat = new JsonObject { ["id"] = groupChatId, ["title"] = "Tổ công nghệ số thôn Đông", ["type"] = "supergroup" };
        return Update("message", Message(chat, userId, firstName, m =>
        {
            m["text"] = $"{mention} {text}";
            m["entities"] = new JsonArray(Entity("mention", 0, mention.Length));
        }));
    }

    public static JsonObject Sticker(long userId) =>
        Update("message", Message(PrivateChat(userId, "Lan"), userId, "Lan", m => m["sticker"] = new JsonObject
        {
            ["file_id"] = "CAACAgIAAxkBAAIBY2Zsticker", ["file_unique_id"] = "AgADsticker", ["type"] = "regular",
            ["width"] = 512, ["height"] = 512, ["is_animated"] = false, ["is_video"] = false, ["emoji"] = "👍",
        }));

    public static JsonObject Photo(long userId, string? caption = null) =>
        Update("message", Message(PrivateChat(userId, "Lan"), userId, "Lan", m =>
        {
            m["photo"] = new JsonArray(
                new JsonObject { ["file_id"] = "AgACAgUAAxkBAAIBphotoS", ["file_unique_id"] = "AQADs", ["width"] = 90, ["height"] = 120, ["file_size"] = 1523 },
                new JsonObject { ["file_id"] = "AgACAgUAAxkBAAIBphotoM", ["file_unique_id"] = "AQADm", ["width"] = 600, ["height"] = 800, ["file_size"] = 48211 });
            if (caption is not null) m["caption"] = caption;
        }));

    public static JsonObject Voice(long userId) =>
        Update("message", Message(PrivateChat(userId, "Lan"), userId, "Lan", m => m["voice"] = new JsonObject
        {
            ["file_id"] = "AwACAgUAAxkBAAIBvoice", ["file_unique_id"] = "AgADvoice", ["duration"] = 4, ["mime_type"] = "audio/ogg", ["file_size"] = 12034,
        }));

    /// <summary>The resident blocked the bot (my_chat_member: member → kicked).</summary>
    public static JsonObject BotBlocked(long userId, string firstName = "Lan") =>
        Update("my_chat_member", new JsonObject
        {
            ["chat"] = PrivateChat(userId, firstName),
            ["from"] = Person(userId, firstName),
            ["date"] = Now(),
            ["old_chat_member"] = new JsonObject { ["status"] = "member", ["user"] = FakeTelegramServer.BotUserJson() },
            ["new_chat_member"] = new JsonObject { ["status"] = "kicked", ["until_date"] = 0, ["user"] = FakeTelegramServer.BotUserJson() },
        });

    private static JsonObject Update(string kind, JsonObject payload) => new() { [kind] = payload };

    private static JsonObject Message(JsonObject chat, long userId, string firstName, Action<JsonObject> fill)
    {
        var message = new JsonObject
        {
            ["message_id"] = Interlocked.Increment(ref _nextMessageId),
            ["from"] = Person(userId, firstName),
            ["chat"] = chat,
            ["date"] = Now(),
        };
        fill(message);
        return message;
    }

    private static JsonObject Person(long userId, string firstName) =>
        new() { ["id"] = userId, ["is_bot"] = false, ["first_name"] = firstName, ["language_code"] = "vi" };

    private static JsonObject PrivateChat(long userId, string firstName) =>
        new() { ["id"] = userId, ["first_name"] = firstName, ["type"] = "private" };

    private static JsonObject Entity(string type, int offset, int length) =>
        new() { ["type"] = type, ["offset"] = offset, ["length"] = length };

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
