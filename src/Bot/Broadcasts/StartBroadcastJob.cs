using Quartz;

namespace Bot.Broadcasts;

/// <summary>Fires when a broadcast is due: writes its outbox (once, whichever node fires it); the delivery workers do the sending.</summary>
public sealed class StartBroadcastJob(BroadcastOutbox outbox, BroadcastOptions options, TimeProvider time, ILogger<StartBroadcastJob> logger) : IJob
{
    public const string BroadcastIdKey = "broadcastId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var broadcastId = context.MergedJobDataMap.GetLong(BroadcastIdKey);
        var now = time.GetUtcNow();
        // A misfire caught up after a restart, or quiet hours changed since it was planned: wait for the morning.
        if (options.QuietHours.IsQuiet(now))
        {
            var later = TriggerBuilder.Create()
                .WithIdentity(context.Trigger.Key)
                .ForJob(context.JobDetail)
                .StartAt(options.QuietHours.NextAllowed(now))
                .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
                .Build();
            await context.Scheduler.RescheduleJob(context.Trigger.Key, later, cancellationToken);
            logger.LogInformation("Broadcast {Id} falls in the quiet hours; it starts at {At}", broadcastId, later.StartTimeUtc);
            return;
        }
        await outbox.StartAsync(broadcastId, now, cancellationToken);
    }
}
