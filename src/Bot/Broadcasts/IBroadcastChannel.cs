namespace Bot.Broadcasts;

/// <summary>What became of one broadcast send, as the outbox acts on it.</summary>
public enum BroadcastSendOutcome
{
    /// <summary>The platform took the message.</summary>
    Sent,

    /// <summary>markSending refused the row (resident unsubscribed, row no longer this node's): nothing left.</summary>
    Withdrawn,

    /// <summary>The resident blocked the bot: the row is blocked, and so is the resident.</summary>
    Blocked,

    /// <summary>Flood control: the platform did not take it; the channel's own pause holds every sender back.</summary>
    RateLimited,

    /// <summary>The platform answered that it did not take it (5xx, a connection that never opened): try again.</summary>
    Retryable,

    /// <summary>No answer after the request left (a time-out): it may have arrived, so it is not resent.</summary>
    Uncertain,

    /// <summary>Refused for good (a 4xx other than the above).</summary>
    Failed,

    /// <summary>The platform's rules let no message reach this resident now (Zalo OA: outside the free window); nothing was sent.</summary>
    OutsideWindow,
}

public sealed record BroadcastSendResult(BroadcastSendOutcome Outcome, string? Error = null);

/// <summary>
/// The seam a platform's broadcast sending plugs into: its wording of a text and one send with the platform's rate
/// limits. One per channel that can deliver broadcasts.
/// </summary>
public interface IBroadcastChannel
{
    string Channel { get; }

    /// <summary>More concurrent senders than this would only queue at the platform's rate limit.</summary>
    int MaxUsefulSenders { get; }

    /// <summary>Attempts of one send for <see cref="BroadcastSendOutcome.Retryable"/> failures, and the back-off before the second.</summary>
    int MaxAttempts { get; }

    TimeSpan RetryBaseDelay { get; }

    /// <summary>The text (placeholders filled, footer added) in the platform's own form.</summary>
    string Render(string text);

    /// <summary>
    /// Sends one message with one attempt. markSending runs once the platform's limits let the message go, right before
    /// the request; when it returns false nothing is sent (<see cref="BroadcastSendOutcome.Withdrawn"/>). After it
    /// returned true, ct no longer cancels the request: a cancelled request may still have arrived.
    /// </summary>
    Task<BroadcastSendResult> SendAsync(string chatId, string rendered, Func<Task<bool>> markSending, CancellationToken ct);
}
