using System.Data.Common;
using System.Threading.Channels;
using Bot.Storage;

namespace Bot.Broadcasts;

/// <summary>
/// Writes the delivery rows' state changes with group commit: every sender's change waiting at a moment goes into one
/// transaction, so marking each row "sending" right before its request costs one commit per batch, not per message.
/// Marking "sending" is also the last subscription check: the same UPDATE only takes rows whose resident is still
/// subscribed and not blocked, and still claimed by this node; the rest are skipped or belong to another node.
/// </summary>
public sealed class DeliveryLedger(BroadcastDatabase database, BroadcastNode node, TimeProvider time, ILogger<DeliveryLedger> logger)
{
    private const int MaxBatch = 2000;
    private readonly Channel<Entry> _entries = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });

    private abstract record Entry(long Id);
    private sealed record MarkSending(long Id, TaskCompletionSource<bool> Allowed) : Entry(Id);
    private sealed record Release(long Id, TaskCompletionSource Done) : Entry(Id);
    private sealed record Unclaim(long Id) : Entry(Id);
    private sealed record Outcome(long Id, long ResidentId, string Status, string? Error) : Entry(Id);

    /// <summary>Claimed → sending; false when the row must not be sent (resident unsubscribed, row no longer this node's).</summary>
    public Task<bool> MarkSendingAsync(long id)
    {
        var allowed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_entries.Writer.TryWrite(new MarkSending(id, allowed))) allowed.SetResult(false);
        return allowed.Task;
    }

    /// <summary>Sending → claimed, after an answer proving Telegram did not take the message (429, 5xx).</summary>
    public Task ReleaseAsync(long id)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_entries.Writer.TryWrite(new Release(id, done))) done.SetResult();
        return done.Task;
    }

    /// <summary>Claimed → pending, for another sender or node to take (stopping, quiet hours).</summary>
    public void Return(long id) => _entries.Writer.TryWrite(new Unclaim(id));

    /// <summary>The final state of a row that was sending: sent, failed, uncertain, outside window or blocked (which also blocks the resident).</summary>
    public void Record(ClaimedDelivery row, string status, string? error = null) =>
        _entries.Writer.TryWrite(new Outcome(row.Id, row.ResidentId, status, error));

    /// <summary>Writes until <see cref="Complete"/> and everything written before it is stored.</summary>
    public async Task RunAsync()
    {
        var batch = new List<Entry>(MaxBatch);
        while (await _entries.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _entries.Reader.TryRead(out var entry)) batch.Add(entry);
            await FlushAsync(batch);
            batch.Clear();
        }
    }

    public void Complete() => _entries.Writer.TryComplete();

    private async Task FlushAsync(List<Entry> batch)
    {
        HashSet<long> allowed = [];
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                allowed = await database.WriteAsync(() => WriteAsync(batch), CancellationToken.None);
                break;
            }
            catch (DbException e) when (attempt < 3)
            {
                logger.LogWarning("Broadcast ledger write failed ({Error}); retrying", e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
            catch (DbException e)
            {
                // Rows keep their last stored state: claimed and sending ones are taken over when this node stops.
                logger.LogError("Broadcast ledger write failed, {Count} changes not stored: {Error}", batch.Count, e.Message);
                break;
            }
        }
        foreach (var entry in batch)
        {
            if (entry is MarkSending mark) mark.Allowed.SetResult(allowed.Contains(mark.Id));
            else if (entry is Release release) release.Done.SetResult();
        }
    }

    private async Task<HashSet<long>> WriteAsync(List<Entry> batch)
    {
        var now = database.Timestamp(time.GetUtcNow());
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        async Task Run(string sql, params (string, object?)[] parameters) =>
            await DbCommands.ExecuteAsync(connection, transaction, sql, CancellationToken.None, parameters);

        if (Ids<Release>(batch) is { Length: > 0 } released)
            await Run($"UPDATE broadcast_deliveries SET status = 'claimed' WHERE id IN ({BroadcastDatabase.IdList(released)}) AND status = 'sending' AND node = @node",
                ("@node", node.Id));
        if (Ids<Unclaim>(batch) is { Length: > 0 } returned)
            await Run($"UPDATE broadcast_deliveries SET status = 'pending', node = NULL WHERE id IN ({BroadcastDatabase.IdList(returned)}) AND status = 'claimed' AND node = @node",
                ("@node", node.Id));
        foreach (var group in batch.OfType<Outcome>().GroupBy(o => (o.Status, o.Error)))
            await Run($"""
                UPDATE broadcast_deliveries SET status = @status, error = @error, finished_at = @now, attempts = attempts + 1
                WHERE id IN ({BroadcastDatabase.IdList(group.Select(o => o.Id))}) AND status IN ('sending', 'uncertain')
                """, ("@status", group.Key.Status), ("@error", group.Key.Error), ("@now", now));
        if (batch.OfType<Outcome>().Where(o => o.Status == DeliveryStatus.Blocked).Select(o => o.ResidentId).ToList() is { Count: > 0 } blocked)
            await Run($"UPDATE residents SET blocked = {database.True}, blocked_at = @now WHERE id IN ({BroadcastDatabase.IdList(blocked)})", ("@now", now));

        var allowed = new HashSet<long>();
        if (Ids<MarkSending>(batch) is { Length: > 0 } marking)
        {
            await using (var command = DbCommands.Command(connection, transaction, $"""
                UPDATE broadcast_deliveries SET status = 'sending', claimed_at = @now
                WHERE id IN ({BroadcastDatabase.IdList(marking)}) AND status = 'claimed' AND node = @node
                  AND EXISTS (SELECT 1 FROM residents r WHERE r.id = broadcast_deliveries.resident_id
                              AND r.subscribed = {database.True} AND r.blocked = {database.False})
                RETURNING id
                """, ("@now", now), ("@node", node.Id)))
            await using (var reader = await command.ExecuteReaderAsync())
                while (await reader.ReadAsync()) allowed.Add(reader.GetInt64(0));
            if (marking.Where(id => !allowed.Contains(id)).ToList() is { Count: > 0 } refused)
                await Run($"""
                    UPDATE broadcast_deliveries SET status = 'skipped', error = 'unsubscribed', finished_at = @now
                    WHERE id IN ({BroadcastDatabase.IdList(refused)}) AND status = 'claimed' AND node = @node
                    """, ("@now", now), ("@node", node.Id));
        }
        await transaction.CommitAsync();
        return allowed;
    }

    private static long[] Ids<T>(List<Entry> batch) where T : Entry => batch.OfType<T>().Select(e => e.Id).ToArray();
}
