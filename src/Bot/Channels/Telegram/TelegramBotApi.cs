using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Requests;
using Telegram.Bot.Requests.Abstractions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace Bot.Channels.Telegram;

/// <summary>
/// Our send policy over Telegram.Bot's <see cref="ITelegramBotClient"/>: every call waits at the shared
/// <see cref="TelegramRateGate"/> (getUpdates excepted), a 429 closes that gate for every sender and is retried after
/// retry_after; 5xx and time-outs are retried with exponential back-off for getMe, getUpdates and sendMessage
/// (broadcast sends excepted: one attempt each); 400 and 403 never are. Failures surface as <see cref="TelegramApiException"/>.
/// Logs name the method only: the URL holds the token, and message texts are residents' words.
/// </summary>
public sealed class TelegramBotApi(ITelegramBotClient client, TelegramOptions options, TelegramRateGate gate, TimeProvider time, ILogger<TelegramBotApi> logger)
{
    /// <summary>The longest getUpdates long poll this client asks for (Telegram's usual maximum).</summary>
    public const int MaxLongPollSeconds = 50;

    /// <summary>How long before its send slot a broadcast message is handed its beforeRequest step.</summary>
    private static readonly TimeSpan PrepareLead = TimeSpan.FromMilliseconds(50);

    public Task<User> GetMeAsync(CancellationToken ct = default) =>
        CallAsync(new GetMeRequest(), new CallRules(RetryTransient: true), ct);

    /// <summary>allowedUpdates null keeps the previous setting; an empty list asks for every type.</summary>
    public Task SetWebhookAsync(string url, string? secretToken = null, IReadOnlyList<UpdateType>? allowedUpdates = null,
        int? maxConnections = null, bool dropPendingUpdates = false, CancellationToken ct = default) =>
        CallAsync(new SetWebhookRequest
        {
            Url = url, SecretToken = secretToken, AllowedUpdates = allowedUpdates, MaxConnections = maxConnections, DropPendingUpdates = dropPendingUpdates,
        }, new CallRules(), ct);

    public Task DeleteWebhookAsync(bool dropPendingUpdates = false, CancellationToken ct = default) =>
        CallAsync(new DeleteWebhookRequest { DropPendingUpdates = dropPendingUpdates }, new CallRules(), ct);

    /// <summary>
    /// Long polling: waits up to timeoutSeconds for updates with update_id ≥ offset. Passing the last update_id + 1
    /// as the next offset confirms everything before it.
    /// </summary>
    public Task<Update[]> GetUpdatesAsync(int? offset, int timeoutSeconds, IReadOnlyList<UpdateType>? allowedUpdates = null,
        CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timeoutSeconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timeoutSeconds, MaxLongPollSeconds);
        // Receiving is not what flood control limits: polling goes on during a 429 pause.
        var rules = new CallRules(RetryTransient: true, WaitForPause: false, Timeout: options.RequestTimeout + TimeSpan.FromSeconds(timeoutSeconds));
        return CallAsync(new GetUpdatesRequest { Offset = offset, Timeout = timeoutSeconds, AllowedUpdates = allowedUpdates }, rules, ct);
    }

    /// <summary>
    /// Sends a message as HTML (escape text with <see cref="TelegramHtml.Escape"/>). A reply quotes replyToMessageId when
    /// that message still exists. The sent message, or null when the server took it (HTTP 200) with an answer that
    /// cannot be read: the message was delivered all the same.
    /// </summary>
    public Task<Message?> SendMessageAsync(long chatId, string html, InlineKeyboardMarkup? replyMarkup = null,
        int? replyToMessageId = null, SendPacing pacing = SendPacing.Interactive, CancellationToken ct = default)
    {
        var request = new SendMessageRequest
        {
            ChatId = chatId, Text = html, ParseMode = ParseMode.Html, ReplyMarkup = replyMarkup,
            ReplyParameters = replyToMessageId is { } id ? new ReplyParameters { MessageId = id, AllowSendingWithoutReply = true } : null,
        };
        return CallAsync(request, new CallRules(RetryTransient: true, SendTo: chatId, Pacing: pacing, OkIsEnough: true), ct)!;
    }

    /// <summary>
    /// Sends one broadcast message with a single attempt, because the broadcast outbox decides what each failure means.
    /// beforeRequest runs once the bot-wide and per-chat limits let the message go (just before its send slot), and
    /// the request leaves at that slot (the outbox marks its row "sending" there); from then on ct no longer cancels the request, since a cancelled
    /// request may still have reached Telegram. Only its time-out ends it, as an ambiguous <see cref="TelegramTransientException"/>.
    /// </summary>
    public Task SendBroadcastMessageAsync(long chatId, string html, Func<CancellationToken, Task> beforeRequest, CancellationToken ct)
    {
        var request = new SendMessageRequest { ChatId = chatId, Text = html, ParseMode = ParseMode.Html };
        var rules = new CallRules(SendTo: chatId, Pacing: SendPacing.Broadcast, MaxAttempts: 1, BeforeRequest: beforeRequest, OkIsEnough: true);
        return CallAsync(request, rules, ct);
    }

    /// <summary>Stops the button's spinner; text (0-200 characters) shows as a short notice.</summary>
    public Task AnswerCallbackQueryAsync(string callbackQueryId, string? text = null, CancellationToken ct = default) =>
        CallAsync(new AnswerCallbackQueryRequest { CallbackQueryId = callbackQueryId, Text = text }, new CallRules(OkIsEnough: true), ct);

    /// <summary>Shows "typing…" for about 5 seconds or until the next message.</summary>
    public Task SendChatActionAsync(long chatId, CancellationToken ct = default) =>
        CallAsync(new SendChatActionRequest { ChatId = chatId, Action = ChatAction.Typing }, new CallRules(SendTo: chatId, OkIsEnough: true), ct);

    public Task SetMyCommandsAsync(IReadOnlyList<BotCommand> commands, CancellationToken ct = default) =>
        CallAsync(new SetMyCommandsRequest { Commands = commands }, new CallRules(), ct);

    /// <param name="SendTo">Set for methods that post into a chat: they also keep the bot-wide send rate.</param>
    /// <param name="BeforeRequest">Runs after the gate, right before the request; the request then runs to its time-out whatever ct says.</param>
    /// <param name="OkIsEnough">
    /// The call's effect is what matters, not its result: an HTTP 200 whose body cannot be read (a server answering
    /// "result": null for a sent message or an acknowledgement) counts as done, and the result is null. Resending
    /// would deliver the message twice.
    /// </param>
    private sealed record CallRules(bool RetryTransient = false, bool WaitForPause = true, long? SendTo = null,
        SendPacing Pacing = SendPacing.Interactive, TimeSpan? Timeout = null, int? MaxAttempts = null,
        Func<CancellationToken, Task>? BeforeRequest = null, bool OkIsEnough = false);

    private async Task<T> CallAsync<T>(IRequest<T> request, CallRules rules, CancellationToken ct)
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
                return await CallOnceAsync(request, rules.Timeout ?? options.RequestTimeout, rules.OkIsEnough, requestCt);
            }
            catch (TelegramRateLimitedException e) when (attempt < maxAttempts)
            {
                logger.LogWarning("Telegram {Method}: flood control, every call waits {RetryAfter} s (attempt {Attempt} of {MaxAttempts})",
                    request.MethodName, e.RetryAfter.TotalSeconds, attempt, maxAttempts);
                // The gate is already closed for e.RetryAfter; a call that passes the gate by waits here instead.
                if (rules.SendTo is null && !rules.WaitForPause) await Task.Delay(e.RetryAfter, time, ct);
            }
            catch (TelegramTransientException e) when (rules.RetryTransient && attempt < maxAttempts)
            {
                var delay = options.RetryBaseDelay * Math.Pow(2, attempt - 1);
                logger.LogWarning("Telegram {Method}: {ErrorCode} {Description}; retrying in {Delay} ms (attempt {Attempt} of {MaxAttempts})",
                    request.MethodName, e.ErrorCode, e.Description, delay.TotalMilliseconds, attempt, maxAttempts);
                await Task.Delay(delay, time, ct);
            }
        }
    }

    /// <summary>One request through Telegram.Bot, its failures sorted into what our callers act on.</summary>
    private async Task<T> CallOnceAsync<T>(IRequest<T> request, TimeSpan timeout, bool okIsEnough, CancellationToken ct)
    {
        var method = request.MethodName;
        using var timeoutCts = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeoutCts.Token);
        try
        {
            return await client.SendRequest(request, linked.Token);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new TelegramTransientException(method, 0, $"no answer within {timeout.TotalSeconds:0.#} s", e, ambiguous: true);
        }
        catch (ApiRequestException e)
        {
            var error = TelegramApiException.FromResponse(method, e.ErrorCode, e.Message, e.Parameters?.RetryAfter);
            if (error is TelegramRateLimitedException limited) gate.Pause(limited.RetryAfter);
            throw error;
        }
        catch (RequestException e) when (okIsEnough && e.HttpStatusCode == System.Net.HttpStatusCode.OK)
        {
            logger.LogDebug("Telegram {Method}: taken (HTTP 200), answer not readable: {Error}", method, e.Message);
            return default!;
        }
        catch (RequestException e)
        {
            throw e.InnerException switch
            {
                // Only a connection that never opened proves the request did not leave.
                HttpRequestException http => new TelegramTransientException(method, 0, $"network error ({http.HttpRequestError})", e,
                    ambiguous: http.HttpRequestError is not (HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)),
                OperationCanceledException or IOException => new TelegramTransientException(method, 0, "no complete answer", e, ambiguous: true),
                // An answer that is not a Bot API answer (a proxy's error page, or "ok" without a result).
                _ => TelegramApiException.FromResponse(method, (int?)e.HttpStatusCode ?? 0, $"unreadable answer: {e.Message}", null),
            };
        }
    }
}
