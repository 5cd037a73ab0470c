using Hangfire;

namespace Bot.Broadcasts;

/// <summary>Runs when a broadcast is due: writes its outbox (once, whichever node runs it); the delivery workers do the sending.</summary>
public sealed class StartBroadcastJob(BroadcastOutbox outbox, BroadcastOptions options, IBackgroundJobClient jobs, TimeProvider time,
    ILogger<StartBroadcastJob> logger)
{
    /// <summary>ct is Hangfire's shutdown token (pass CancellationToken.None when enqueuing).</summary>
    public async Task RunAsync(long broadcastId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // Caught up after a restart, or quiet hours changed since it was planned: wait for the morning.
        if (options.QuietHours.IsQuiet(now))
        {
            var morning = options.QuietHours.NextAllowed(now);
            jobs.Schedule<StartBroadcastJob>(j => j.RunAsync(broadcastId, CancellationToken.None), morning);
            logger.LogInformation("Broadcast {Id} falls in the quiet hours; it starts at {At}", broadcastId, morning);
            return;
        }
        await outbox.StartAsync(broadcastId, now, ct);
    }
}
