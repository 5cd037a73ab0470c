using Bot.Storage;

namespace Bot.Broadcasts;

/// <summary>
/// Starting a broadcast writes its whole audience into broadcast_deliveries in one INSERT … SELECT, in the same
/// transaction that moves it to "sending": from then on the database alone says who still has to get it.
/// </summary>
public sealed class BroadcastOutbox(BroadcastDatabase database, BroadcastChannels channels, DeliverySignal signal, ILogger<BroadcastOutbox> logger)
{
    /// <summary>Starts a scheduled broadcast; returns the number of recipients, or null when it was not scheduled (already started, cancelled).</summary>
    public async Task<int?> StartAsync(long broadcastId, DateTimeOffset now, CancellationToken ct)
    {
        var recipients = await database.WriteAsync(async () =>
        {
            await using var connection = await database.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            string? topic, channel;
            await using (var read = DbCommands.Command(connection, transaction,
                "SELECT topic, channel FROM broadcasts WHERE id = @id AND status = 'scheduled'", ("@id", broadcastId)))
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                if (!await reader.ReadAsync(ct)) return (int?)null;
                topic = reader.IsDBNull(0) ? null : reader.GetString(0);
                channel = reader.IsDBNull(1) ? null : reader.GetString(1);
            }
            var started = await DbCommands.ExecuteAsync(connection, transaction,
                "UPDATE broadcasts SET status = 'sending', started_at = @now WHERE id = @id AND status = 'scheduled'", ct,
                ("@id", broadcastId), ("@now", database.Timestamp(now)));
            if (started == 0) return null;

            var inserted = 0;
            var targets = channels.For(channel);
            if (targets.Count > 0)
            {
                var parameters = new List<(string, object?)> { ("@id", broadcastId) };
                parameters.AddRange(targets.Select((name, i) => ($"@c{i}", (object?)name)));
                var topicFilter = "";
                if (topic is not null)
                {
                    parameters.Add(("@topic", topic));
                    topicFilter = $"AND (r.topics = '' OR {database.ListContains("r.topics", "@topic")})";
                }
                inserted = await DbCommands.ExecuteAsync(connection, transaction, $"""
                    INSERT INTO broadcast_deliveries (broadcast_id, resident_id, channel, chat_id, status, attempts)
                    SELECT @id, r.id, r.channel, r.chat_id, 'pending', 0 FROM residents r
                    WHERE r.subscribed = {database.True} AND r.blocked = {database.False}
                      AND r.channel IN ({string.Join(", ", targets.Select((_, i) => $"@c{i}"))}) {topicFilter}
                    ON CONFLICT DO NOTHING
                    """, ct, [.. parameters]);
            }
            if (inserted == 0)
                await DbCommands.ExecuteAsync(connection, transaction,
                    "UPDATE broadcasts SET status = 'done', finished_at = @now WHERE id = @id", ct,
                    ("@id", broadcastId), ("@now", database.Timestamp(now)));
            await transaction.CommitAsync(ct);
            return inserted;
        }, ct);

        if (recipients is { } count)
        {
            logger.LogInformation("Broadcast {Id} started: {Recipients} recipients{Note}", broadcastId, count,
                channels.Names.Count == 0 ? " (no broadcast channel is switched on)" : "");
            signal.Notify();
        }
        return recipients;
    }

    /// <summary>Cancels a broadcast that has not finished: rows not yet sending are skipped; those in flight finish.</summary>
    public Task<bool> CancelAsync(long broadcastId, DateTimeOffset now, CancellationToken ct) => database.WriteAsync(async () =>
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var cancelled = await DbCommands.ExecuteAsync(connection, transaction,
            "UPDATE broadcasts SET status = 'cancelled', finished_at = @now WHERE id = @id AND status IN ('scheduled', 'sending')", ct,
            ("@id", broadcastId), ("@now", database.Timestamp(now)));
        await DbCommands.ExecuteAsync(connection, transaction, """
            UPDATE broadcast_deliveries SET status = 'skipped', error = 'cancelled', finished_at = @now
            WHERE broadcast_id = @id AND status IN ('pending', 'claimed')
            """, ct, ("@id", broadcastId), ("@now", database.Timestamp(now)));
        await transaction.CommitAsync(ct);
        return cancelled > 0;
    }, ct);
}
