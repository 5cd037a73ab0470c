using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Bot.Channels.Telegram;

/// <summary>
/// A thin typed client of the Telegram Bot API: POST {ApiBaseUrl}/bot{token}/{method} with a JSON body.
/// Every call waits at the shared <see cref="TelegramRateGate"/> (getUpdates excepted), a 429 closes that gate for
/// every sender and is retried after retry_after; 5xx and time-outs are retried with exponential back-off for
/// getMe, getUpdates and sendMessage (broadcast sends excepted: one attempt each); 400 and 403 never are. Failures surface as <see cref="TelegramApiException"/>.
/// Logs name the method only: the URL holds the token, and message texts are residents' words.
/// </summary>
public sealed partial class TelegramBotApi(HttpClient http, TelegramOptions options, TelegramRateGate gate, TimeProvider time, ILogger<TelegramBotApi> logger)
{
    /// <summary>The longest getUpdates long poll this client asks for (Telegram's usual maximum).</summary>
    public const int MaxLongPollSeconds = 50;

    public const string ParseModeHtml = "HTML";

    /// <summary>How long before its send slot a broadcast message is handed its beforeRequest step.</summary>
    private static readonly TimeSpan PrepareLead = TimeSpan.FromMilliseconds(50);

    // Metadata generated at build time for the types exchanged on every message; the reflection resolver covers the rest.
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        TypeInfoResolver = JsonTypeInfoResolver.Combine(GeneratedJson.Default, new DefaultJsonTypeInfoResolver()),
    };

    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(Update))]
    [JsonSerializable(typeof(ApiResponse<Message>))]
    [JsonSerializable(typeof(ApiResponse<bool>))]
    [JsonSerializable(typeof(ApiResponse<IReadOnlyList<Update>>))]
    [JsonSerializable(typeof(SendMessageRequest))]
    [JsonSerializable(typeof(AnswerCallbackQueryRequest))]
    [JsonSerializable(typeof(SendChatActionRequest))]
    private sealed partial class GeneratedJson : JsonSerializerContext;

    public Task<User> GetMeAsync(CancellationToken ct = default) =>
        CallAsync<User>("getMe", null, new CallRules(RetryTransient: true), ct);

    /// <summary>allowedUpdates null keeps the previous setting; an empty list asks for every type.</summary>
    public Task SetWebhookAsync(string url, string? secretToken = null, IReadOnlyList<string>? allowedUpdates = null,
        bool dropPendingUpdates = false, CancellationToken ct = default) =>
        CallAsync<bool>("setWebhook", new SetWebhookRequest(url, secretToken, allowedUpdates, dropPendingUpdates), new CallRules(), ct);

    public Task DeleteWebhookAsync(bool dropPendingUpdates = false, CancellationToken ct = default) =>
        CallAsync<bool>("deleteWebhook", new DeleteWebhookRequest(dropPendingUpdates), new CallRules(), ct);

    /// <summary>
    /// Long polling: waits up to timeoutSeconds for updates with update_id ≥ offset. Passing the last update_id + 1
    /// as the next offset confirms everything before it.
    /// </summary>
    public Task<IReadOnlyList<Update>> GetUpdatesAsync(long? offset, int timeoutSeconds, IReadOnlyList<string>? allowedUpdates = null,
        CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timeoutSeconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timeoutSeconds, MaxLongPollSeconds);
        // Receiving is not what flood control limits: polling goes on during a 429 pause.
        var rules = new CallRules(RetryTransient: true, WaitForPause: false, Timeout: options.RequestTimeout + TimeSpan.FromSeconds(timeoutSeconds));
        return CallAsync<IReadOnlyList<Update>>("getUpdates", new GetUpdatesRequest(offset, timeoutSeconds, allowedUpdates), rules, ct);
    }

    /// <summary>
    /// Sends a message (parseMode "HTML" by default: escape text with <see cref="TelegramHtml.Escape"/>; null for plain text).
    /// A reply quotes replyToMessageId when that message still exists.
    /// </summary>
    public Task<Message> SendMessageAsync(long chatId, string text, string? parseMode = ParseModeHtml, InlineKeyboardMarkup? replyMarkup = null,
        long? replyToMessageId = null, SendPacing pacing = SendPacing.Interactive, CancellationToken ct = default)
    {
        var reply = replyToMessageId is { } id ? new ReplyParameters(id, AllowSendingWithoutReply: true) : null;
        var request = new SendMessageRequest(chatId, text, parseMode, replyMarkup, reply);
        return CallAsync<Message>("sendMessage", request, new CallRules(RetryTransient: true, SendTo: chatId, Pacing: pacing), ct);
    }

    /// <summary>
    /// Sends one broadcast message with a single attempt, because the broadcast outbox decides what each failure means.
    /// beforeRequest runs once the bot-wide and per-chat limits let the message go (just before its send slot), and
    /// the request leaves at that slot (the outbox marks its row "sending" there); from then on ct no longer cancels the request, since a cancelled
    /// request may still have reached Telegram. Only its time-out ends it, as an ambiguous <see cref="TelegramTransientException"/>.
    /// </summary>
    public Task<Message> SendBroadcastMessageAsync(long chatId, string html, Func<CancellationToken, Task> beforeRequest, CancellationToken ct)
    {
        var request = new SendMessageRequest(chatId, html, ParseModeHtml, null, null);
        var rules = new CallRules(SendTo: chatId, Pacing: SendPacing.Broadcast, MaxAttempts: 1, BeforeRequest: beforeRequest);
        return CallAsync<Message>("sendMessage", request, rules, ct);
    }

    /// <summary>Stops the button's spinner; text (0-200 characters) shows as a short notice.</summary>
    public Task AnswerCallbackQueryAsync(string callbackQueryId, string? text = null, CancellationToken ct = default) =>
        CallAsync<bool>("answerCallbackQuery", new AnswerCallbackQueryRequest(callbackQueryId, text), new CallRules(), ct);

    /// <summary>Replaces the buttons under a message; null removes them.</summary>
    public Task EditMessageReplyMarkupAsync(long chatId, long messageId, InlineKeyboardMarkup? markup = null, CancellationToken ct = default) =>
        // The result is the edited Message, or true for inline messages: neither is needed.
        CallAsync<JsonElement>("editMessageReplyMarkup", new EditMessageReplyMarkupRequest(chatId, messageId, markup), new CallRules(SendTo: chatId), ct);

    /// <summary>Shows "typing…" (or another action) for about 5 seconds or until the next message.</summary>
    public Task SendChatActionAsync(long chatId, string action = "typing", CancellationToken ct = default) =>
        CallAsync<bool>("sendChatAction", new SendChatActionRequest(chatId, action), new CallRules(SendTo: chatId), ct);

    public Task SetMyCommandsAsync(IReadOnlyList<BotCommand> commands, CancellationToken ct = default) =>
        CallAsync<bool>("setMyCommands", new SetMyCommandsRequest(commands), new CallRules(), ct);

    /// <param name="SendTo">Set for methods that post into a chat: they also keep the bot-wide send rate.</param>
    /// <param name="BeforeRequest">Runs after the gate, right before the request; the request then runs to its time-out whatever ct says.</param>
    private sealed record CallRules(bool RetryTransient = false, bool WaitForPause = true, long? SendTo = null,
        SendPacing Pacing = SendPacing.Interactive, TimeSpan? Timeout = null, int? MaxAttempts = null,
        Func<CancellationToken, Task>? BeforeRequest = null);

    private async Task<T> CallAsync<T>(string method, object? body, CallRules rules, CancellationToken ct)
    {
        var maxAttempts = rules.MaxAttempts ?? options.MaxAttempts;
        for (var attempt = 1; ; attempt++)
        {
            var requestCt = ct;
            if (rules.BeforeRequest is { } beforeRequest)
            {
                // Prepare while the slot approaches, then leave at the slot: the preparation does not delay the message.
                var slot = await gate.ReserveAsync(rules.SendTo!.Value, rules.Pacing, PrepareLead, ct);
                await beforeRequest(ct);
                requestCt = CancellationToken.None;
                var until = gate.PausedUntil is { } pausedUntil && pausedUntil > slot ? pausedUntil : slot;
                if (until > time.GetUtcNow()) await Task.Delay(until - time.GetUtcNow(), time, CancellationToken.None);
            }
            else if (rules.SendTo is { } chatId) await gate.WaitToSendAsync(chatId, rules.Pacing, ct);
            else if (rules.WaitForPause) await gate.WaitWhilePausedAsync(ct);
            try
            {
                return await CallOnceAsync<T>(method, body, rules.Timeout ?? options.RequestTimeout, requestCt);
            }
            catch (TelegramRateLimitedException e) when (attempt < maxAttempts)
            {
                logger.LogWarning("Telegram {Method}: flood control, every call waits {RetryAfter} s (attempt {Attempt} of {MaxAttempts})",
                    method, e.RetryAfter.TotalSeconds, attempt, options.MaxAttempts);
                // The gate is already closed for e.RetryAfter; a call that passes the gate by waits here instead.
                if (rules.SendTo is null && !rules.WaitForPause) await Task.Delay(e.RetryAfter, time, ct);
            }
            catch (TelegramTransientException e) when (rules.RetryTransient && attempt < maxAttempts)
            {
                var delay = options.RetryBaseDelay * Math.Pow(2, attempt - 1);
                logger.LogWarning("Telegram {Method}: {ErrorCode} {Description}; retrying in {Delay} ms (attempt {Attempt} of {MaxAttempts})",
                    method, e.ErrorCode, e.Description, delay.TotalMilliseconds, attempt, options.MaxAttempts);
                await Task.Delay(delay, time, ct);
            }
        }
    }

    private async Task<T> CallOnceAsync<T>(string method, object? body, TimeSpan timeout, CancellationToken ct)
    {
        using var timeoutCts = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeoutCts.Token);
        ApiResponse<T>? response;
        int status;
        try
        {
            using var content = body is null ? null : JsonContent.Create(body, body.GetType(), options: Json);
            using var answer = await http.PostAsync(method, content, linked.Token);
            status = (int)answer.StatusCode;
            response = await ReadResponseAsync<T>(answer, linked.Token);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new TelegramTransientException(method, 0, $"no answer within {timeout.TotalSeconds:0.#} s", e, ambiguous: true);
        }
        catch (HttpRequestException e)
        {
            // Only a connection that never opened proves the request did not leave.
            var ambiguous = e.HttpRequestError is not (HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError);
            throw new TelegramTransientException(method, 0, $"network error ({e.HttpRequestError})", e, ambiguous);
        }
        catch (IOException e)
        {
            throw new TelegramTransientException(method, 0, "connection lost while reading the answer", e, ambiguous: true);
        }

        if (response is { Ok: true, Result: not null }) return response.Result;
        if (response is { Ok: true }) throw new TelegramApiException(method, status, "ok without a result");

        var error = TelegramApiException.FromResponse(method, response?.ErrorCode ?? status,
            response?.Description ?? $"unreadable answer (HTTP {status})", response?.Parameters);
        if (error is TelegramRateLimitedException limited) gate.Pause(limited.RetryAfter);
        throw error;
    }

    /// <summary>Null when the body is not a Bot API answer (a proxy's error page, say).</summary>
    private static async Task<ApiResponse<T>?> ReadResponseAsync<T>(HttpResponseMessage answer, CancellationToken ct)
    {
        try
        {
            return await answer.Content.ReadFromJsonAsync<ApiResponse<T>>(Json, ct);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record SetWebhookRequest(string Url, string? SecretToken, IReadOnlyList<string>? AllowedUpdates, bool DropPendingUpdates);
    private sealed record DeleteWebhookRequest(bool DropPendingUpdates);
    private sealed record GetUpdatesRequest(long? Offset, int Timeout, IReadOnlyList<string>? AllowedUpdates);
    private sealed record SendMessageRequest(long ChatId, string Text, string? ParseMode, InlineKeyboardMarkup? ReplyMarkup, ReplyParameters? ReplyParameters);
    private sealed record ReplyParameters(long MessageId, bool AllowSendingWithoutReply);
    private sealed record AnswerCallbackQueryRequest(string CallbackQueryId, string? Text);
    private sealed record EditMessageReplyMarkupRequest(long ChatId, long MessageId, InlineKeyboardMarkup? ReplyMarkup);
    private sealed record SendChatActionRequest(long ChatId, string Action);
    private sealed record SetMyCommandsRequest(IReadOnlyList<BotCommand> Commands);
}
