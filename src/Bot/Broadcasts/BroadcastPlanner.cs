using System.Text.Json;
using Bot.Storage;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Bot.Broadcasts;

/// <summary>
/// Stores a broadcast and schedules its start as a Hangfire job in the shared job storage, at sendAt moved past the
/// quiet hours (enqueued at once when that is now). A job whose node dies is run again by another node or after a
/// restart; running it twice starts the broadcast once.
/// </summary>
public sealed class BroadcastPlanner(BotDbContext db, IBackgroundJobClient jobs, JobStorage storage, BroadcastOptions options,
    BroadcastOutbox outbox, TimeProvider time)
{
    private static readonly TimeSpan StaleOccurrence = TimeSpan.FromDays(1);

    public async Task<Broadcast> CreateAsync(Broadcast broadcast, CancellationToken ct)
    {
        broadcast.CreatedAt = time.GetUtcNow();
        db.Broadcasts.Add(broadcast);
        await db.SaveChangesAsync(ct);
        try
        {
            ScheduleStart(broadcast.Id, broadcast.SendAt);
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

    public void ScheduleStart(long broadcastId, DateTimeOffset sendAt)
    {
        var startAt = StartTime(sendAt);
        if (startAt <= time.GetUtcNow()) jobs.Enqueue<StartBroadcastJob>(j => j.RunAsync(broadcastId, CancellationToken.None));
        else jobs.Schedule<StartBroadcastJob>(j => j.RunAsync(broadcastId, CancellationToken.None), startAt);
    }

    public async Task<bool> CancelAsync(long broadcastId, CancellationToken ct)
    {
        var cancelled = await outbox.CancelAsync(broadcastId, time.GetUtcNow(), ct);
        // The job would find the broadcast cancelled and do nothing; deleting it keeps the dashboard's schedule true.
        if (ScheduledStart(storage, broadcastId) is { } scheduled) jobs.Delete(scheduled.JobId);
        return cancelled;
    }

    /// <summary>
    /// Gives every broadcast still "scheduled" whose start is not planned in Hangfire (planned before Hangfire kept the
    /// schedule, or its job was lost) a start job again; a second start job of one broadcast starts it once.
    /// </summary>
    public async Task<int> ReplanAsync(CancellationToken ct)
    {
        var waiting = await db.Broadcasts.Where(b => b.Status == BroadcastStatus.Scheduled)
            .Select(b => new { b.Id, b.SendAt }).AsNoTracking().ToListAsync(ct);
        var replanned = 0;
        foreach (var broadcast in waiting.Where(b => ScheduledStart(storage, b.Id) is null))
        {
            ScheduleStart(broadcast.Id, broadcast.SendAt);
            replanned++;
        }
        return replanned;
    }

    /// <summary>The scheduled (not yet due) start job of a broadcast, if there is one.</summary>
    public static (string JobId, DateTimeOffset StartAt)? ScheduledStart(JobStorage storage, long broadcastId)
    {
        var monitoring = storage.GetMonitoringApi();
        var scheduled = monitoring.ScheduledJobs(0, (int)Math.Min(int.MaxValue, monitoring.ScheduledCount()));
        foreach (var (jobId, job) in scheduled)
            if (job.Job?.Type == typeof(StartBroadcastJob) && job.Job.Args is [long id, ..] && id == broadcastId && job.EnqueueAt is { } at)
                return (jobId, new DateTimeOffset(at, TimeSpan.Zero));
        return null;
    }
}
