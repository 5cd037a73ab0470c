using System.Threading.Channels;
using Bot.Conversation;
using Bot.Privacy;
using Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Channels;

/// <summary>
/// The inbox of platform updates. A webhook stores the update (unique per channel and update id) before it
/// answers 200, then this node processes it at once; a retried update hits the unique index and is dropped.
/// A sweeper takes over updates whose node died mid-way (stale claim) and retries failed attempts.
/// </summary>
public sealed class InboundUpdates(IServiceScopeFactory scopes, IEnumerable<IInboundUpdateHandler> handlers, ChannelOptions options,
    DatabaseOptions database, FloodLimiter flood, SqliteWriteSerializer serializer, GroupCommit writes, ILogger<InboundUpdates> logger) : BackgroundService
{
    public const int MaxAttempts = 5;
    private const int SweepBatch = 100;
    private static readonly TimeSpan StaleClaim = TimeSpan.FromSeconds(60);
    // A SQLite database serves one node: whatever was claimed before this process started belongs to a dead one.
    private readonly DateTimeOffset startedAt = DateTimeOffset.UtcNow;
    private readonly Dictionary<string, IInboundUpdateHandler> byChannel = handlers.ToDictionary(h => h.Channel);
    // One queue per worker; a chat always maps to the same queue, so one resident's messages are answered in order.
    private readonly Channel<InboundUpdate>[] queues = Enumerable.Range(0, options.Workers)
        .Select(_ => System.Threading.Channels.Channel.CreateUnbounded<InboundUpdate>()).ToArray();

    /// <summary>
    /// Stores the update durably, its personal numbers masked (the raw JSON never reaches the database); false when
    /// this (channel, update id) was already received. orderingKey (the chat) keeps one chat's updates in arrival order.
    /// </summary>
    public async Task<bool> AcceptAsync(string channel, string updateId, string rawPayload, string orderingKey)
    {
        var payload = PersonalDataMasker.MaskJson(rawPayload);
        var now = DateTimeOffset.UtcNow;
        var update = new InboundUpdate
        {
            Channel = channel, UpdateId = updateId, Payload = payload,
            Status = InboundUpdateStatus.Processing, ReceivedAt = now, ClaimedAt = now,
        };
        var at = writes.Timestamp(now);
        // The hot path of every webhook: one plain INSERT, the unique index dropping retries. It is not cancelled when
        // the caller goes away: once it is committed the update is processed whatever happens to the request.
        var inserted = await writes.ExecuteAsync($"""
            INSERT INTO inbound_updates (channel, update_id, payload, status, attempts, received_at, claimed_at)
            VALUES ({channel}, {updateId}, {payload}, {InboundUpdateStatus.Processing}, 0, {at}, {at})
            ON CONFLICT (channel, update_id) DO NOTHING
            """);
        if (inserted == 0)
        {
            logger.LogInformation("Duplicate {Channel} update {UpdateId} ignored", channel, updateId);
            return false;
        }
        Queue(channel + ":" + orderingKey).Writer.TryWrite(update);
        return true;
    }

    private Channel<InboundUpdate> Queue(string key) => queues[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)queues.Length)];

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(queues.Select(q => WorkAsync(q, stoppingToken)).Append(SweepAsync(stoppingToken)));

    private async Task WorkAsync(Channel<InboundUpdate> queue, CancellationToken ct)
    {
        try
        {
            // On shutdown a worker takes nothing new but finishes the update in hand (its replies are half sent otherwise);
            // what is still queued stays claimed in the database and is taken over after a restart.
            await foreach (var update in queue.Reader.ReadAllAsync(ct))
            {
                try
                {
                    await ProcessAsync(update, CancellationToken.None);
                }
                catch (Exception e)
                {
                    // The outcome could not be recorded (database gone, disk full): the update stays claimed and the
                    // sweeper takes it over, while this worker goes on with the chats behind it.
                    logger.LogWarning("{Channel} update {UpdateId}: outcome not recorded, left to the sweeper: {Error}",
                        update.Channel, update.UpdateId, PersonalDataMasker.Mask(e.Message));
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    /// <summary>Runs the channel's handler on a claimed update (held in memory: no re-read), then records the outcome in one statement.</summary>
    internal async Task ProcessAsync(InboundUpdate update, CancellationToken ct)
    {
        var attempts = update.Attempts + 1;
        string status;
        string? error = null;
        object? notBefore = null;
        try
        {
            if (!byChannel.TryGetValue(update.Channel, out var handler))
                throw new InvalidOperationException($"no handler for channel {update.Channel}");
            await handler.HandleAsync(update, ct);
            status = InboundUpdateStatus.Done;
        }
        catch (ResidentFloodingException e)
        {
            // Kept, not lost: back to pending, not before the pause (claimed_at holds that time), and not counted as an attempt.
            attempts = update.Attempts;
            status = InboundUpdateStatus.Pending;
            error = "deferred: flood limit";
            notBefore = writes.Timestamp(DateTimeOffset.UtcNow + e.RetryAfter);
            logger.LogInformation("{Channel} update {UpdateId} deferred {Seconds:F0} s: the resident is over the flood limit ({Deferred} deferred since start)",
                update.Channel, update.UpdateId, e.RetryAfter.TotalSeconds, flood.Deferred);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            error = PersonalDataMasker.Mask(e.Message);
            status = attempts >= MaxAttempts ? InboundUpdateStatus.Failed : InboundUpdateStatus.Pending;
            logger.LogWarning("{Channel} update {UpdateId} attempt {Attempt} failed: {Error}", update.Channel, update.UpdateId, attempts, error);
        }
        var done = status == InboundUpdateStatus.Done;
        var processedAt = status == InboundUpdateStatus.Pending ? null : writes.Timestamp(DateTimeOffset.UtcNow);
        // Once answered, only (channel, update id) is needed to drop retries: the resident's raw message is not kept.
        var payload = done ? "" : update.Payload;
        await writes.ExecuteAsync($"""
            UPDATE inbound_updates SET status = {status}, attempts = {attempts}, last_error = {error}, processed_at = {processedAt}, payload = {payload},
                claimed_at = COALESCE({notBefore}, claimed_at)
            WHERE channel = {update.Channel} AND update_id = {update.UpdateId}
            """);
    }

    private async Task SweepAsync(CancellationToken ct)
    {
        var interval = TimeSpan.FromSeconds(options.SweepSeconds);
        while (!ct.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                claimed = await SweepOnceAsync(ct);
                if (claimed < SweepBatch) await PurgeExpiredAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Inbound sweep failed"); }
            // A full batch means more are waiting (a restart after a crash): take the next batch at once.
            if (claimed < SweepBatch) await Task.Delay(interval, ct).ContinueWith(_ => { });
        }
    }

    /// <summary>
    /// Deletes answered and failed updates older than Channels:KeepAnsweredDays (default 7), well past any platform
    /// retry, so the inbox does not grow forever and a failed update's (masked) text is not kept for ever. Only the
    /// oldest rows of each status are looked at, in chunks: the cost stays flat however big the table is.
    /// </summary>
    internal async Task<int> PurgeExpiredAsync()
    {
        const int Chunk = 1000;
        var cutoff = writes.Timestamp(DateTimeOffset.UtcNow - TimeSpan.FromDays(options.KeepAnsweredDays));
        var total = 0;
        foreach (var status in new[] { InboundUpdateStatus.Done, InboundUpdateStatus.Failed })
        {
            for (var round = 0; round < 20; round++)
            {
                // Failed rows from before processed_at was set for them count from their arrival.
                var deleted = await writes.ExecuteAsync($"""
                    DELETE FROM inbound_updates
                    WHERE id IN (SELECT id FROM inbound_updates WHERE status = {status} ORDER BY id LIMIT {Chunk})
                      AND COALESCE(processed_at, received_at) < {cutoff}
                    """);
                total += deleted;
                if (deleted < Chunk) break;
            }
        }
        if (total > 0) logger.LogInformation("Deleted {Count} answered or failed updates from the inbox", total);
        return total;
    }

    /// <summary>
    /// Claims pending updates and ones whose node died (stale claim), one row at a time so two nodes never both take one;
    /// returns how many it claimed. On SQLite a claim made before this process started is stale at once, so a restart
    /// after a crash answers what the dead process held without waiting the 60 s a PostgreSQL node waits for a peer.
    /// </summary>
    internal async Task<int> SweepOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var now = DateTimeOffset.UtcNow;
        var staleBefore = now - StaleClaim;
        if (database.Provider == DatabaseProvider.Sqlite && startedAt > staleBefore) staleBefore = startedAt;
        // A pending update's claimed_at is when it may be retried: later than now for one deferred by the flood limit.
        var candidates = await db.InboundUpdates
            .Where(u => u.Status == InboundUpdateStatus.Pending && (u.ClaimedAt == null || u.ClaimedAt <= now) ||
                        u.Status == InboundUpdateStatus.Processing && u.ClaimedAt < staleBefore)
            .OrderBy(u => u.Id).Take(SweepBatch).AsNoTracking().ToListAsync(ct);
        var taken = 0;
        foreach (var c in candidates)
        {
            now = DateTimeOffset.UtcNow;
            var claim = db.InboundUpdates
                .Where(u => u.Id == c.Id && u.ClaimedAt == c.ClaimedAt && u.Status != InboundUpdateStatus.Done && u.Status != InboundUpdateStatus.Failed);
            var claimed = await serializer.WriteAsync(() => claim.ExecuteUpdateAsync(
                s => s.SetProperty(u => u.Status, InboundUpdateStatus.Processing).SetProperty(u => u.ClaimedAt, now), ct), ct);
            if (claimed == 1)
            {
                Queue("recovered:" + c.Id).Writer.TryWrite(c);
                taken++;
            }
        }
        return taken;
    }
}
