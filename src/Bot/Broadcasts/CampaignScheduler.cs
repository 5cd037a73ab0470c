using System.Text.Json;
using Bot.Conversation;
using Hangfire;
using Hangfire.Storage;

namespace Bot.Broadcasts;

/// <summary>
/// Keeps Hangfire's recurring jobs equal to campaigns.yaml: one per campaign part, id "campaign:{part key}", its cron
/// in Vietnam time. Runs at start-up, when the file changes and when staff ask; a broken file is reported with its
/// line and the previous schedule stays. An unchanged part keeps its next run, so a run missed while the bot was
/// down still happens (each missed occurrence once; older than a day is dropped as stale).
/// </summary>
public sealed class CampaignScheduler(IRecurringJobManager recurring, JobStorage storage, KnowledgeProvider knowledge, ILogger<CampaignScheduler> logger)
    : IHostedService, IDisposable
{
    public const string JobPrefix = "campaign:";
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
            Apply(parts);
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

    private void Apply(IReadOnlyList<CampaignPart> parts)
    {
        var wanted = parts.ToDictionary(p => JobPrefix + p.Key);
        foreach (var stale in CampaignJobIds(storage).Where(id => !wanted.ContainsKey(id)))
            recurring.RemoveIfExists(stale);
        foreach (var (id, part) in wanted)
            Schedule(recurring, id, part);
    }

    public static void Schedule(IRecurringJobManager recurring, string id, CampaignPart part) =>
        recurring.AddOrUpdate<CampaignJob>(id, j => j.RunAsync(JsonSerializer.Serialize(part, (JsonSerializerOptions?)null), null, CancellationToken.None),
            part.Cron, new RecurringJobOptions { TimeZone = VietnamTime.Zone, MisfireHandling = MisfireHandlingMode.Strict });

    /// <summary>The recurring jobs this scheduler owns.</summary>
    public static IReadOnlyList<string> CampaignJobIds(JobStorage storage)
    {
        using var connection = storage.GetConnection();
        return connection.GetRecurringJobs().Select(j => j.Id).Where(id => id.StartsWith(JobPrefix, StringComparison.Ordinal)).ToList();
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounce?.Dispose();
        _reloading.Dispose();
    }
}
