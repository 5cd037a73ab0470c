using System.Text.Json;
using Hangfire.Common;
using Hangfire.Server;

namespace Bot.Broadcasts;

/// <summary>Runs one occurrence of a campaign part: stores its broadcast (once per occurrence) and schedules the start.</summary>
public sealed class CampaignJob(BroadcastPlanner planner, TimeProvider time)
{
    /// <summary>
    /// part is the <see cref="CampaignPart"/> as JSON. context and ct are filled in by Hangfire (pass null and
    /// CancellationToken.None): the occurrence's own time is its "Time" parameter, also for one caught up after downtime.
    /// </summary>
    public async Task RunAsync(string part, PerformContext? context, CancellationToken ct)
    {
        var fireTime = context?.GetJobParameter<long?>("Time") is { } timestamp
            ? new DateTimeOffset(JobHelper.FromTimestamp(timestamp), TimeSpan.Zero)
            : time.GetUtcNow();
        await planner.CreateOccurrenceAsync(JsonSerializer.Deserialize<CampaignPart>(part)!, fireTime, ct);
    }
}
