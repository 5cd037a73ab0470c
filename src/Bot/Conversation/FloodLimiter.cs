using System.Threading.RateLimiting;

namespace Bot.Conversation;

/// <summary>
/// Per-resident message limit (Conversation:MaxMessagesPerMinute, default 20, over Conversation:FloodWindow, default one
/// minute). A message over the limit is not dropped: it is put back to be answered after a pause, and counted.
/// </summary>
public sealed class FloodLimiter(ConversationOptions options) : IDisposable
{
    private readonly TimeSpan window = options.FloodWindow;
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = options.MaxMessagesPerMinute,
            Window = options.FloodWindow,
            SegmentsPerWindow = 6,
        }));
    // When each flooding resident was last told: once per window, though retried messages may be refused again.
    private readonly Dictionary<string, DateTime> notified = [];
    private long deferred;

    public enum Verdict { Allowed, RefuseWithNotice, RefuseSilently }

    /// <summary>Messages put back for later since the start.</summary>
    public long Deferred => Interlocked.Read(ref deferred);

    /// <summary>How long a refused message waits before it is tried again.</summary>
    public TimeSpan Pause => window / 2;

    public Verdict Check(string channel, string userId)
    {
        var key = channel + ":" + userId;
        using var lease = limiter.AttemptAcquire(key);
        var now = DateTime.UtcNow;
        lock (notified)
        {
            if (lease.IsAcquired)
            {
                if (notified.TryGetValue(key, out var told) && now - told > window) notified.Remove(key);
                return Verdict.Allowed;
            }
            Interlocked.Increment(ref deferred);
            if (notified.TryGetValue(key, out var last) && now - last <= window) return Verdict.RefuseSilently;
            notified[key] = now;
            return Verdict.RefuseWithNotice;
        }
    }

    public void Dispose() => limiter.Dispose();
}

/// <summary>
/// The resident is over the flood limit: the message is to be answered after <see cref="RetryAfter"/>, not now.
/// The first refused message carries a notice for the resident.
/// </summary>
public sealed class ResidentFloodingException(TimeSpan retryAfter, OutgoingMessage? notice)
    : Exception("the resident is over the message limit")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
    public OutgoingMessage? Notice { get; } = notice;
}
