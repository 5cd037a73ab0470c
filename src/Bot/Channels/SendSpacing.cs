namespace Bot.Channels;

/// <summary>
/// A channel's process-wide send rate: sends are spaced 1/perSecond apart, and a pause (after the platform's flood
/// control answered) holds every sender of the channel back.
/// </summary>
public sealed class SendSpacing(int perSecond, TimeProvider time)
{
    private readonly Lock sync = new();
    private readonly TimeSpan spacing = TimeSpan.FromSeconds(1.0 / perSecond);
    private DateTimeOffset nextSendAt = DateTimeOffset.MinValue;

    public async Task WaitToSendAsync(CancellationToken ct)
    {
        TimeSpan wait;
        lock (sync)
        {
            var now = time.GetUtcNow();
            var slot = nextSendAt > now ? nextSendAt : now;
            nextSendAt = slot + spacing;
            wait = slot - now;
        }
        if (wait > TimeSpan.Zero) await Task.Delay(wait, time, ct);
    }

    public void Pause(TimeSpan pause)
    {
        lock (sync)
        {
            var until = time.GetUtcNow() + pause;
            if (until > nextSendAt) nextSendAt = until;
        }
    }
}
