using System.Text.Json;
using Quartz;

namespace Bot.Broadcasts;

/// <summary>Fires one occurrence of a campaign part: stores its broadcast (once per occurrence) and schedules the start.</summary>
public sealed class CampaignJob(IServiceScopeFactory scopes) : IJob
{
    public const string PartKey = "part";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var part = JsonSerializer.Deserialize<CampaignPart>(context.MergedJobDataMap.GetString(PartKey)!)!;
        await using var scope = scopes.CreateAsyncScope();
        var planner = scope.ServiceProvider.GetRequiredService<BroadcastPlanner>();
        await planner.CreateOccurrenceAsync(part, context.ScheduledFireTimeUtc ?? context.FireTimeUtc, cancellationToken);
    }
}
