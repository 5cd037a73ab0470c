using System.Collections.Concurrent;
using System.Threading.Channels;
using Bot.Storage;

namespace Bot.Broadcasts;

/// <summary>
/// Runs on every node: claims pending outbox rows of started broadcasts (UPDATE … RETURNING, SKIP LOCKED on
/// PostgreSQL, so two nodes never take the same row) and sends them with Broadcasts:Senders concurrent senders through
/// the row's channel (<see cref="IBroadcastChannel"/>). A row is marked "sending" before its request; its outcome is recorded before the
/// same sender marks its next row, so each sender has at most one row "sending" at any time.
/// Nodes beat a heartbeat; rows of a node that stopped beating are recovered: claimed and sending → pending (at least once).
/// </summary>
public sealed class DeliveryWorker(
    BroadcastDatabase database, DeliveryLedger ledger, DeliverySignal signal, BroadcastNode node, BroadcastOptions options,
    BroadcastText text, IEnumerable<IBroadcastChannel> channels, TimeProvider time, ILogger<DeliveryWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);
    /// <summary>A node silent this long is dead (PostgreSQL; on SQLite only this process uses the file).</summary>
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);
    private const int MaxRateLimitRetries = 20;

    private readonly Dictionary<string, IBroadcastChannel> _channels = channels.ToDictionary(c => c.Channel);
    private readonly ConcurrentDictionary<(string Channel, string Chat), byte> _chatsInFlight = new();
    private readonly ConcurrentDictionary<long, Task<string>> _rendered = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_channels.Count == 0) return; // no channel switched on: broadcasts start with no recipients and finish at once
        var ledgerRun = Task.Run(ledger.RunAsync, CancellationToken.None);
        var queue = Channel.CreateBounded<ClaimedDelivery>(new BoundedChannelOptions(options.ClaimBatch) { SingleWriter = true });
        // More senders than messages per second would only queue at the rate gate.
        var senderCount = Math.Min(options.Senders, _channels.Values.Sum(c => c.MaxUsefulSenders));
        var senders = Enumerable.Range(0, senderCount).Select(_ => Task.Run(() => SendLoopAsync(queue.Reader, stoppingToken))).ToArray();
        try
        {
            await ClaimLoopAsync(queue.Writer, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            queue.Writer.TryComplete();
            await Task.WhenAll(senders);
            ledger.Complete();
            await ledgerRun;
            await LeaveAsync();
        }
    }

    private async Task ClaimLoopAsync(ChannelWriter<ClaimedDelivery> queue, CancellationToken ct)
    {
        var nextHeartbeat = DateTimeOffset.MinValue;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var now = time.GetUtcNow();
                if (now >= nextHeartbeat)
                {
                    await HeartbeatAndRecoverAsync(now, ct);
                    nextHeartbeat = now + HeartbeatInterval;
                }
                if (options.QuietHours.IsQuiet(now))
                {
                    var wait = options.QuietHours.NextAllowed(now) - now;
                    await Task.Delay(wait < HeartbeatInterval ? wait : HeartbeatInterval, time, ct);
                    continue;
                }
                var claimed = await ClaimAsync(ct);
                for (var i = 0; i < claimed.Count; i++)
                {
                    try { await queue.WriteAsync(claimed[i], ct); }
                    catch (OperationCanceledException)
                    {
                        foreach (var row in claimed.Skip(i)) ledger.Return(row.Id);
                        throw;
                    }
                }
                if (claimed.Count == 0)
                {
                    await FinishCompletedAsync(ct);
                    await signal.WaitAsync(IdlePoll, ct);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Broadcast delivery round failed");
                await Task.Delay(IdlePoll, time, ct);
            }
        }
    }

    private async Task SendLoopAsync(ChannelReader<ClaimedDelivery> queue, CancellationToken ct)
    {
        await foreach (var row in queue.ReadAllAsync(CancellationToken.None))
        {
            if (ct.IsCancellationRequested || options.QuietHours.IsQuiet(time.GetUtcNow()))
            {
                ledger.Return(row.Id);
                continue;
            }
            try
            {
                var chat = (row.Channel, row.ChatId);
                while (!_chatsInFlight.TryAdd(chat, 0)) await Task.Delay(TimeSpan.FromMilliseconds(20), time, ct);
                try { await DeliverAsync(_channels[row.Channel], row, ct); }
                finally { _chatsInFlight.TryRemove(chat, out _); }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                ledger.Return(row.Id); // stopped before its request left: still claimed, another node sends it
            }
            catch (Exception e)
            {
                logger.LogError(e, "Broadcast delivery {Id} failed unexpectedly", row.Id);
                ledger.Return(row.Id);
            }
        }
    }

    private async Task DeliverAsync(IBroadcastChannel channel, ClaimedDelivery row, CancellationToken ct)
    {
        var rendered = await _rendered.GetOrAdd(row.BroadcastId, id => RenderAsync(id, channel));
        int failures = 0, rateLimits = 0;
        while (true)
        {
            var result = await channel.SendAsync(row.ChatId, rendered, () => ledger.MarkSendingAsync(row.Id), ct);
            switch (result.Outcome)
            {
                case BroadcastSendOutcome.Sent:
                    ledger.Record(row, DeliveryStatus.Sent);
                    return;
                case BroadcastSendOutcome.Withdrawn:
                    ledger.Return(row.Id); // unsubscribed (already skipped) or no longer ours: a no-op either way
                    return;
                case BroadcastSendOutcome.Blocked:
                    ledger.Record(row, DeliveryStatus.Blocked, result.Error);
                    return;
                case BroadcastSendOutcome.RateLimited when ++rateLimits < MaxRateLimitRetries:
                    await ledger.ReleaseAsync(row.Id); // the channel's pause holds the next attempt back
                    break;
                case BroadcastSendOutcome.Uncertain:
                    ledger.Record(row, DeliveryStatus.Uncertain, result.Error);
                    return;
                case BroadcastSendOutcome.OutsideWindow:
                    ledger.Record(row, DeliveryStatus.OutsideWindow, result.Error);
                    return;
                case BroadcastSendOutcome.Retryable when ++failures < channel.MaxAttempts:
                    await ledger.ReleaseAsync(row.Id);
                    await Task.Delay(channel.RetryBaseDelay * Math.Pow(2, failures - 1), time, ct);
                    break;
                default:
                    ledger.Record(row, DeliveryStatus.Failed, result.Error);
                    return;
            }
        }
    }

    private async Task<string> RenderAsync(long broadcastId, IBroadcastChannel channel)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = DbCommands.Command(connection, null,
            "SELECT text, channel_texts FROM broadcasts WHERE id = @id", ("@id", broadcastId));
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var wording = BroadcastText.Wording(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), channel.Channel);
        return channel.Render(text.Render(wording));
    }

    private async Task<List<ClaimedDelivery>> ClaimAsync(CancellationToken ct)
    {
        var rows = await database.WriteAsync(async () =>
        {
            await using var connection = await database.OpenAsync(ct);
            // Only rows of channels switched on here: another node (or this one after a restart) takes the others.
            var channelParameters = _channels.Keys.Select((name, i) => ($"@c{i}", (object?)name)).ToArray();
            await using var command = DbCommands.Command(connection, null, $"""
                UPDATE broadcast_deliveries SET status = 'claimed', node = @node, claimed_at = @now
                WHERE id IN (SELECT id FROM broadcast_deliveries
                             WHERE status = 'pending' AND channel IN ({string.Join(", ", channelParameters.Select(p => p.Item1))})
                               AND broadcast_id IN (SELECT id FROM broadcasts WHERE status = 'sending')
                             ORDER BY id LIMIT @limit {database.SkipLocked})
                RETURNING id, broadcast_id, resident_id, channel, chat_id
                """, [("@node", node.Id), ("@now", database.Timestamp(time.GetUtcNow())), ("@limit", options.ClaimBatch), .. channelParameters]);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var claimed = new List<ClaimedDelivery>();
            while (await reader.ReadAsync(ct))
                claimed.Add(new ClaimedDelivery(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4)));
            return claimed;
        }, ct);
        rows.Sort((a, b) => a.Id.CompareTo(b.Id));
        return rows;
    }

    /// <summary>Marks done every sending broadcast without a row left to send.</summary>
    private async Task FinishCompletedAsync(CancellationToken ct)
    {
        var finished = await database.WriteAsync(async () =>
        {
            await using var connection = await database.OpenAsync(ct);
            return await DbCommands.ExecuteAsync(connection, null, """
                UPDATE broadcasts SET status = 'done', finished_at = @now
                WHERE status = 'sending' AND NOT EXISTS (SELECT 1 FROM broadcast_deliveries d
                    WHERE d.broadcast_id = broadcasts.id AND d.status IN ('pending', 'claimed', 'sending'))
                """, ct, ("@now", database.Timestamp(time.GetUtcNow())));
        }, ct);
        if (finished > 0)
        {
            _rendered.Clear();
            logger.LogInformation("{Count} broadcast(s) finished", finished);
        }
    }

    /// <summary>
    /// Records this node as alive and takes over the rows of nodes that are not: their claimed rows go back to pending,
    /// and so do their sending rows: the request may or may not have reached Telegram, and the Bot API has no
    /// idempotency key, so it is sent again (at least once: a resident may get a double, nobody misses the message).
    /// </summary>
    private async Task HeartbeatAndRecoverAsync(DateTimeOffset now, CancellationToken ct)
    {
        var recovered = await database.WriteAsync(async () =>
        {
            await using var connection = await database.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await DbCommands.ExecuteAsync(connection, transaction, """
                INSERT INTO broadcast_nodes (node, seen_at) VALUES (@node, @now)
                ON CONFLICT (node) DO UPDATE SET seen_at = excluded.seen_at
                """, ct, ("@node", node.Id), ("@now", database.Timestamp(now)));
            var alive = database.IsPostgres ? "(SELECT node FROM broadcast_nodes WHERE seen_at > @cutoff)" : "(@node)";
            var parameters = new (string, object?)[] { ("@node", node.Id), ("@now", database.Timestamp(now)), ("@cutoff", database.Timestamp(now - NodeTimeout)) };
            var returned = await DbCommands.ExecuteAsync(connection, transaction,
                $"UPDATE broadcast_deliveries SET status = 'pending', node = NULL WHERE status = 'claimed' AND node NOT IN {alive}", ct, parameters);
            var resent = await DbCommands.ExecuteAsync(connection, transaction, $"""
                UPDATE broadcast_deliveries SET status = 'pending', node = NULL, error = 'node stopped while sending: sent again'
                WHERE status = 'sending' AND node NOT IN {alive}
                """, ct, parameters);
            await DbCommands.ExecuteAsync(connection, transaction,
                "DELETE FROM broadcast_nodes WHERE seen_at < @stale", ct, ("@stale", database.Timestamp(now - TimeSpan.FromDays(1))));
            await transaction.CommitAsync(ct);
            return (returned, resent);
        }, ct);
        if (recovered.returned + recovered.resent > 0)
            logger.LogWarning("Took over broadcast rows of stopped nodes: {Returned} claimed back to pending, {Resent} in flight to be sent again",
                recovered.returned, recovered.resent);
    }

    /// <summary>A clean stop: other nodes may take over at once what this node leaves.</summary>
    private async Task LeaveAsync()
    {
        try
        {
            await database.WriteAsync(async () =>
            {
                await using var connection = await database.OpenAsync(CancellationToken.None);
                return await DbCommands.ExecuteAsync(connection, null, "DELETE FROM broadcast_nodes WHERE node = @node",
                    CancellationToken.None, ("@node", node.Id));
            }, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning("Could not sign this node off: {Error}", e.Message);
        }
    }
}
