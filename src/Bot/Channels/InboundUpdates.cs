using System.Threading.Channels;
using Bot.Privacy;
using Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Channels;

/// <summary>
/// The inbox of platform updates. A webhook stores the update (unique per channel and update id) before it
/// answers 200, then this node processes it at once; a retried update hits the unique index and is dropped.
/// A sweeper takes over updates whose node died mid-way (stale claim) and retries failed attempts.
/// </summary>
public sealed class InboundUpdates(IServiceScopeFactory scopes, IEnumerable<IInboundUpdateHandler> handlers, IConfiguration configuration,
    ILogger<InboundUpdates> logger) : BackgroundService
{
    public const int MaxAttempts = 5;
    private static readonly TimeSpan StaleClaim = TimeSpan.FromSeconds(60);
    private readonly Dictionary<string, IInboundUpdateHandler> byChannel = handlers.ToDictionary(h => h.Channel);
    // One queue per worker; a chat always maps to the same queue, so one resident's messages are answered in order.
    private readonly Channel<long>[] queues = Enumerable.Range(0, Math.Max(1, configuration.GetValue("Channels:Workers", 4 * Environment.ProcessorCount)))
        .Select(_ => System.Threading.Channels.Channel.CreateUnbounded<long>()).ToArray();

    /// <summary>
    /// Stores the update durably; false when this (channel, update id) was already received.
    /// orderingKey (the chat) keeps one chat's updates in arrival order.
    /// </summary>
    public async Task<bool> AcceptAsync(string channel, string updateId, string payload, string orderingKey, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var update = new InboundUpdate
        {
            Channel = channel, UpdateId = updateId, Payload = payload,
            Status = InboundUpdateStatus.Processing, ReceivedAt = now, ClaimedAt = now,
        };
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            db.InboundUpdates.Add(update);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                if (!await ExistsAsync(channel, updateId)) throw;
                logger.LogInformation("Duplicate {Channel} update {UpdateId} ignored", channel, updateId);
                return false;
            }
        }
        Queue(channel + ":" + orderingKey).Writer.TryWrite(update.Id);
        return true;
    }

    private async Task<bool> ExistsAsync(string channel, string updateId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        return await db.InboundUpdates.AnyAsync(u => u.Channel == channel && u.UpdateId == updateId);
    }

    private Channel<long> Queue(string key) => queues[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)queues.Length)];

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(queues.Select(q => WorkAsync(q, stoppingToken)).Append(SweepAsync(stoppingToken)));

    private async Task WorkAsync(Channel<long> queue, CancellationToken ct)
    {
        try
        {
            await foreach (var id in queue.Reader.ReadAllAsync(ct))
                await ProcessAsync(id, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    internal async Task ProcessAsync(long id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var update = await db.InboundUpdates.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (update is null || update.Status is InboundUpdateStatus.Done or InboundUpdateStatus.Failed) return;
        update.Attempts++;
        try
        {
            if (!byChannel.TryGetValue(update.Channel, out var handler))
                throw new InvalidOperationException($"no handler for channel {update.Channel}");
            await handler.HandleAsync(update, ct);
            update.Status = InboundUpdateStatus.Done;
            update.ProcessedAt = DateTimeOffset.UtcNow;
            update.LastError = null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            update.LastError = PersonalDataMasker.Mask(e.Message);
            update.Status = update.Attempts >= MaxAttempts ? InboundUpdateStatus.Failed : InboundUpdateStatus.Pending;
            logger.LogWarning("{Channel} update {UpdateId} attempt {Attempt} failed: {Error}", update.Channel, update.UpdateId, update.Attempts, update.LastError);
        }
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task SweepAsync(CancellationToken ct)
    {
        var interval = TimeSpan.FromSeconds(configuration.GetValue("Channels:SweepSeconds", 10));
        while (!ct.IsCancellationRequested)
        {
            try { await SweepOnceAsync(ct); }
            catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Inbound sweep failed"); }
            await Task.Delay(interval, ct).ContinueWith(_ => { });
        }
    }

    /// <summary>Claims pending updates and ones whose node died (stale claim), one row at a time so two nodes never both take one.</summary>
    internal async Task SweepOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var staleBefore = DateTimeOffset.UtcNow - StaleClaim;
        var candidates = await db.InboundUpdates
            .Where(u => u.Status == InboundUpdateStatus.Pending || u.Status == InboundUpdateStatus.Processing && u.ClaimedAt < staleBefore)
            .OrderBy(u => u.Id).Select(u => new { u.Id, u.ClaimedAt }).Take(100).ToListAsync(ct);
        foreach (var c in candidates)
        {
            var now = DateTimeOffset.UtcNow;
            var claimed = await db.InboundUpdates
                .Where(u => u.Id == c.Id && u.ClaimedAt == c.ClaimedAt && u.Status != InboundUpdateStatus.Done && u.Status != InboundUpdateStatus.Failed)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, InboundUpdateStatus.Processing).SetProperty(u => u.ClaimedAt, now), ct);
            if (claimed == 1) Queue("recovered:" + c.Id).Writer.TryWrite(c.Id);
        }
    }
}
