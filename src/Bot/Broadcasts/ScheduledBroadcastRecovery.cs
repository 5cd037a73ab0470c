namespace Bot.Broadcasts;

/// <summary>At start-up: broadcasts waiting to start get their start job back if Hangfire has none (see <see cref="BroadcastPlanner.ReplanAsync"/>).</summary>
public sealed class ScheduledBroadcastRecovery(IServiceScopeFactory scopes, ILogger<ScheduledBroadcastRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var replanned = await scope.ServiceProvider.GetRequiredService<BroadcastPlanner>().ReplanAsync(ct);
        if (replanned > 0) logger.LogWarning("{Count} scheduled broadcast(s) had no start job; planned again", replanned);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
