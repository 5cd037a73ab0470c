using System.Text.Json;
using Bot.Storage;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Bot.Broadcasts;

/// <summary>
/// Stores a broadcast and schedules its start as a Quartz job in the shared job store (key "broadcast-{id}"), at
/// sendAt moved past the quiet hours. The job requests recovery: if the node running it dies, another node re-runs it.
/// </summary>
public sealed class BroadcastPlanner(BotDbContext db, ISchedulerFactory schedulers, BroadcastOptions options, BroadcastOutbox outbox, TimeProvider time)
{
    public const string JobGroup = "broadcasts";
    private static readonly TimeSpan StaleOccurrence = TimeSpan.FromDays(1);

    public async Task<Broadcast> CreateAsync(Broadcast broadcast, CancellationToken ct)
    {
        broadcast.CreatedAt = time.GetUtcNow();
        db.Broadcasts.Add(broadcast);
        await db.SaveChangesAsync(ct);
        try
        {
            await ScheduleStartAsync(broadcast.Id, broadcast.SendAt, ct);
        }
        catch
        {
            // A broadcast that cannot be scheduled would wait in `scheduled` for ever: nothing is left behind.
            db.Broadcasts.Remove(broadcast);
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        return broadcast;
    }

    /// <summary>Stores a calendar occurrence once: a second firing of the same occurrence (recovery, two nodes) finds it there.</summary>
    public async Task<Broadcast?> CreateOnceAsync(Broadcast broadcast, CancellationToken ct)
    {
        if (await db.Broadcasts.AnyAsync(b => b.CampaignKey == broadcast.CampaignKey, ct)) return null;
        try
        {
            return await CreateAsync(broadcast, ct);
        }
        catch (DbUpdateException)
        {
            db.Entry(broadcast).State = EntityState.Detached;
            return null;
        }
    }

    /// <summary>
    /// Stores the broadcast of one calendar occurrence (one per listed channel, or one for every channel) and schedules
    /// its start. The key holds the Vietnamese date, so a repeated firing of the same occurrence adds nothing.
    /// </summary>
    public async Task<IReadOnlyList<Broadcast>> CreateOccurrenceAsync(CampaignPart part, DateTimeOffset fireTime, CancellationToken ct)
    {
        if (time.GetUtcNow() - fireTime > StaleOccurrence) return []; // the bot was down that day: old news is not sent
        var localDate = DateOnly.FromDateTime(VietnamTime.ToLocal(fireTime).DateTime);
        var text = part.TextFor(localDate);
        var created = new List<Broadcast>();
        foreach (var channel in part.Channels.Count == 0 ? [null] : part.Channels.Cast<string?>())
        {
            var broadcast = await CreateOnceAsync(new Broadcast
            {
                CampaignKey = $"{part.Key}@{localDate:yyyy-MM-dd}" + (channel is null ? "" : "/" + channel),
                Title = part.Title,
                Text = text.Text,
                ChannelTexts = text.ChannelTexts.Count == 0 ? null : JsonSerializer.Serialize(text.ChannelTexts),
                Topic = part.Topic,
                Channel = channel,
                SendAt = fireTime,
                CreatedBy = "calendar",
            }, ct);
            if (broadcast is not null) created.Add(broadcast);
        }
        return created;
    }

    /// <summary>When the broadcast will start: sendAt, or the end of the quiet hours it falls in.</summary>
    public DateTimeOffset StartTime(DateTimeOffset sendAt) => options.QuietHours.NextAllowed(sendAt);

    public async Task ScheduleStartAsync(long broadcastId, DateTimeOffset sendAt, CancellationToken ct)
    {
        var key = JobKeyFor(broadcastId);
        var job = JobBuilder.Create<StartBroadcastJob>()
            .WithIdentity(key)
            .UsingJobData(StartBroadcastJob.BroadcastIdKey, broadcastId)
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(key.Name, JobGroup)
            .ForJob(job)
            .StartAt(StartTime(sendAt))
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        var scheduler = await schedulers.GetScheduler(ct);
        await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, ct);
    }

    public async Task<bool> CancelAsync(long broadcastId, CancellationToken ct)
    {
        var cancelled = await outbox.CancelAsync(broadcastId, time.GetUtcNow(), ct);
        var scheduler = await schedulers.GetScheduler(ct);
        await scheduler.DeleteJob(JobKeyFor(broadcastId), ct);
        return cancelled;
    }

    public static JobKey JobKeyFor(long broadcastId) => new($"broadcast-{broadcastId}", JobGroup);
}
