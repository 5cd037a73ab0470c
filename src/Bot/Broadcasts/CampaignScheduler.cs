using System.Text.Json;
using Bot.Conversation;
using Quartz;

namespace Bot.Broadcasts;

/// <summary>
/// Keeps the Quartz schedule equal to campaigns.yaml: one job per campaign part with a stable key and a cron trigger
/// in Vietnam time. Runs at start-up, when the file changes and when staff ask; a broken file is reported with its
/// line and the previous schedule stays.
/// </summary>
public sealed class CampaignScheduler(ISchedulerFactory schedulers, KnowledgeProvider knowledge, ILogger<CampaignScheduler> logger)
    : IHostedService, IDisposable
{
    public const string JobGroup = "campaigns";
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private FileSystemWatcher? _watcher;
    private Timer? _debounce;

    public async Task StartAsync(CancellationToken ct)
    {
        await TryReloadAsync(ct);
        _debounce = new Timer(_ => _ = TryReloadAsync(CancellationToken.None));
        _watcher = new FileSystemWatcher(knowledge.Root, CampaignCalendar.FileName)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        FileSystemEventHandler changed = (_, _) => _debounce.Change(Debounce, Timeout.InfiniteTimeSpan);
        _watcher.Changed += changed;
        _watcher.Created += changed;
        _watcher.Deleted += changed;
        _watcher.Renamed += (_, _) => _debounce.Change(Debounce, Timeout.InfiniteTimeSpan);
        _watcher.EnableRaisingEvents = true;
    }

    public Task StopAsync(CancellationToken ct)
    {
        if (_watcher is not null) _watcher.EnableRaisingEvents = false;
        return Task.CompletedTask;
    }

    /// <summary>Reads campaigns.yaml and reschedules; throws <see cref="CampaignCalendarException"/> (schedule unchanged) when it is broken.</summary>
    public async Task<IReadOnlyList<CampaignPart>> ReloadAsync(CancellationToken ct)
    {
        await _reloading.WaitAsync(ct);
        try
        {
            var parts = CampaignCalendar.Load(knowledge.Root);
            await ApplyAsync(parts, ct);
            logger.LogInformation("Campaign calendar: {Parts} scheduled sends", parts.Count);
            return parts;
        }
        finally
        {
            _reloading.Release();
        }
    }

    private async Task TryReloadAsync(CancellationToken ct)
    {
        try
        {
            await ReloadAsync(ct);
        }
        catch (CampaignCalendarException e)
        {
            logger.LogError("Campaign calendar refused, the previous schedule stays:{NewLine}{Errors}", Environment.NewLine, e.Message);
        }
        catch (IOException e)
        {
            logger.LogWarning("Campaign calendar not readable yet ({Error}); the next change retries", e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Campaign calendar could not be scheduled; the previous schedule stays");
        }
    }

    private async Task ApplyAsync(IReadOnlyList<CampaignPart> parts, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var wanted = parts.ToDictionary(p => new JobKey(p.Key, JobGroup));
        foreach (var stale in (await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(JobGroup), ct)).Where(k => !wanted.ContainsKey(k)))
            await scheduler.DeleteJob(stale, ct);
        foreach (var (key, part) in wanted)
        {
            var data = JsonSerializer.Serialize(part);
            // Replacing an unchanged trigger would move its next fire time past a firing missed while the bot was down.
            if (await scheduler.GetJobDetail(key, ct) is { } existing && existing.JobDataMap.GetString(CampaignJob.PartKey) == data &&
                (await scheduler.GetTriggersOfJob(key, ct)).Count == 1)
                continue;
            var job = JobBuilder.Create<CampaignJob>().WithIdentity(key).WithDescription(part.Title)
                .UsingJobData(CampaignJob.PartKey, data).RequestRecovery().Build();
            await scheduler.ScheduleJob(job, [TriggerFor(part)], new ScheduleJobOptions { Replace = true }, ct);
        }
    }

    public static ITrigger TriggerFor(CampaignPart part) => TriggerBuilder.Create()
        .WithIdentity(part.Key, JobGroup)
        .ForJob(new JobKey(part.Key, JobGroup))
        .WithCronSchedule(part.Cron, cron => cron.InTimeZone(VietnamTime.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
        .Build();

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounce?.Dispose();
        _reloading.Dispose();
    }
}
