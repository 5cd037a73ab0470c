using System.Threading.RateLimiting;

namespace Bot.Conversation;

/// <summary>Per-resident message limit (Conversation:MaxMessagesPerMinute, default 20); the first refused message gets a polite notice.</summary>
public sealed class FloodLimiter(IConfiguration configuration) : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = configuration.GetValue("Conversation:MaxMessagesPerMinute", 20),
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
        }));
    private readonly HashSet<string> notified = [];

    public enum Verdict { Allowed, RefuseWithNotice, RefuseSilently }

    public Verdict Check(string channel, string userId)
    {
        var key = channel + ":" + userId;
        using var lease = limiter.AttemptAcquire(key);
        lock (notified)
        {
            if (lease.IsAcquired) { notified.Remove(key); return Verdict.Allowed; }
            return notified.Add(key) ? Verdict.RefuseWithNotice : Verdict.RefuseSilently;
        }
    }

    public void Dispose() => limiter.Dispose();
}
