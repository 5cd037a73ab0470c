namespace Bot.Channels.Telegram;

/// <summary>
/// The Bot API refused a call (ok=false) or could not be reached, as our send policy sorts it. A plain
/// TelegramApiException (400 and other 4xx) is never worth retrying; the subclasses say what to do instead.
/// </summary>
public class TelegramApiException(string method, int errorCode, string description, Exception? inner = null)
    : Exception($"Telegram {method}: {errorCode} {description}", inner)
{
    public string Method { get; } = method;

    /// <summary>The Bot API error_code (the HTTP status); 0 when no answer arrived.</summary>
    public int ErrorCode { get; } = errorCode;

    public string Description { get; } = description;

    internal static TelegramApiException FromResponse(string method, int errorCode, string description, int? retryAfter) => errorCode switch
    {
        429 => new TelegramRateLimitedException(method, description, TimeSpan.FromSeconds(Math.Max(1, retryAfter ?? 1))),
        403 => new TelegramForbiddenException(method, description),
        >= 500 => new TelegramTransientException(method, errorCode, description),
        _ => new TelegramApiException(method, errorCode, description),
    };
}

/// <summary>429: flood control. Every call waits RetryAfter (see TelegramRateGate) before the next attempt.</summary>
public sealed class TelegramRateLimitedException(string method, string description, TimeSpan retryAfter)
    : TelegramApiException(method, 429, description)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>403: the resident blocked the bot, deactivated the account, or a group kicked the bot. Stop writing to that chat.</summary>
public sealed class TelegramForbiddenException(string method, string description)
    : TelegramApiException(method, 403, description);

/// <summary>5xx, a network failure or a time-out: the same call may succeed later.</summary>
public sealed class TelegramTransientException(string method, int errorCode, string description, Exception? inner = null, bool ambiguous = false)
    : TelegramApiException(method, errorCode, description, inner)
{
    /// <summary>
    /// True when the request may have reached Telegram (a time-out, a connection lost after sending): a message
    /// may have arrived. A 5xx is not ambiguous: Telegram answered that it did not take the message.
    /// </summary>
    public bool Ambiguous { get; } = ambiguous;
}
