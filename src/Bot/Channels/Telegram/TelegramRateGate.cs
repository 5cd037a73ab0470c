namespace Bot.Channels.Telegram;

/// <summary>How a message may be paced towards its chat.</summary>
public enum SendPacing
{
    /// <summary>A reply to a resident who just wrote: goes out as soon as the bot-wide limits allow.</summary>
    Interactive,

    /// <summary>Unsolicited (broadcasts): also keeps TelegramOptions.PerChatInterval since the last message to that chat.</summary>
    Broadcast,
}

/// <summary>
/// The bot-wide send limits, shared by every sender in the process (singleton):
/// a 429 closes the gate for everybody until retry_after has passed; sends are spaced 1/MaxMessagesPerSecond
/// apart (a token bucket one token deep, so no one-second window holds more than the limit); broadcast sends also
/// keep the per-chat interval.
/// </summary>
public sealed class TelegramRateGate(TelegramOptions options, TimeProvider time)
{
    private const int ChatsKeptBeforePruning = 10_000;

    private readonly Lock _sync = new();
    private readonly TimeSpan _sendSpacing = TimeSpan.FromSeconds(1.0 / options.MaxMessagesPerSecond);
    private readonly Dictionary<long, DateTimeOffset> _chatOpensAt = [];
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private DateTimeOffset _nextSendAt = DateTimeOffset.MinValue;

    /// <summary>When the current 429 pause ends; null when the gate is open.</summary>
    public DateTimeOffset? PausedUntil
    {
        get
        {
            lock (_sync) return _pausedUntil > time.GetUtcNow() ? _pausedUntil : null;
        }
    }

    /// <summary>Closes the gate for every caller for retryAfter from now (a later pause already in force wins).</summary>
    public void Pause(TimeSpan retryAfter)
    {
        lock (_sync)
        {
            var until = time.GetUtcNow() + retryAfter;
            if (until > _pausedUntil) _pausedUntil = until;
        }
    }

    /// <summary>Waits while a 429 pause is in force.</summary>
    public Task WaitWhilePausedAsync(CancellationToken ct) => WaitForTurnAsync(() => _pausedUntil - time.GetUtcNow(), ct);

    /// <summary>Waits for the pause, the bot-wide send rate and, for broadcasts, the chat's interval; then takes the slot.</summary>
    public Task WaitToSendAsync(long chatId, SendPacing pacing, CancellationToken ct) => WaitForTurnAsync(() =>
    {
        var now = time.GetUtcNow();
        var wait = Max(_pausedUntil - now, _nextSendAt - now);
        if (pacing == SendPacing.Broadcast && _chatOpensAt.TryGetValue(chatId, out var chatOpensAt))
            wait = Max(wait, chatOpensAt - now);
        if (wait > TimeSpan.Zero) return wait;

        _nextSendAt = now + _sendSpacing;
        if (_chatOpensAt.Count >= ChatsKeptBeforePruning) ForgetOpenChats(now);
        _chatOpensAt[chatId] = now + options.PerChatInterval;
        return TimeSpan.Zero;
    }, ct);

    /// <summary>tryTake runs under the lock: it either takes the turn (returns zero or less) or says how long to wait.</summary>
    private async Task WaitForTurnAsync(Func<TimeSpan> tryTake, CancellationToken ct)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_sync) wait = tryTake();
            if (wait <= TimeSpan.Zero) return;
            await Task.Delay(wait, time, ct);
        }
    }

    private void ForgetOpenChats(DateTimeOffset now)
    {
        foreach (var (chat, opensAt) in _chatOpensAt)
            if (opensAt <= now) _chatOpensAt.Remove(chat);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
