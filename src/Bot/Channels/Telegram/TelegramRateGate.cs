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
/// a 429 closes the gate for everybody until retry_after has passed; sends are spaced a little over 1/MaxMessagesPerSecond
/// apart (a token bucket one token deep, so no one-second window holds more than the limit); broadcast sends also
/// keep the per-chat interval.
/// </summary>
public sealed class TelegramRateGate(TelegramOptions options, TimeProvider time)
{
    private const int ChatsKeptBeforePruning = 10_000;

    private readonly Lock _sync = new();
    /// <summary>
    /// 3% wider than 1/limit: a message reaches Telegram a little after its slot, by an amount that varies (timers,
    /// scheduling, network); the margin keeps the (limit+1)th arrival out of any one second when it varies by 30 ms.
    /// </summary>
    private readonly TimeSpan _sendSpacing = TimeSpan.FromSeconds(1.03 / options.MaxMessagesPerSecond);
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
    public Task WaitToSendAsync(long chatId, SendPacing pacing, CancellationToken ct) => ReserveAsync(chatId, pacing, TimeSpan.Zero, ct);

    /// <summary>
    /// Takes the next slot like <see cref="WaitToSendAsync"/> but returns up to lead before it, with the slot's time:
    /// the caller prepares during the lead (a database write) and sends at the slot. Slots are then spaced from each
    /// other rather than from when their waiters woke up, so timer lateness does not add up and the rate is kept.
    /// </summary>
    public async Task<DateTimeOffset> ReserveAsync(long chatId, SendPacing pacing, TimeSpan lead, CancellationToken ct)
    {
        DateTimeOffset slot = default;
        await WaitForTurnAsync(() =>
        {
            var now = time.GetUtcNow();
            slot = Max(now, Max(_pausedUntil, _nextSendAt));
            if (pacing == SendPacing.Broadcast && _chatOpensAt.TryGetValue(chatId, out var chatOpensAt)) slot = Max(slot, chatOpensAt);
            var wait = slot - now - lead;
            if (wait > TimeSpan.Zero) return wait;

            _nextSendAt = slot + _sendSpacing;
            if (_chatOpensAt.Count >= ChatsKeptBeforePruning) ForgetOpenChats(now);
            _chatOpensAt[chatId] = slot + options.PerChatInterval;
            return TimeSpan.Zero;
        }, ct);
        return slot;
    }

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

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
