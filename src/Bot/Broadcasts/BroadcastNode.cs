namespace Bot.Broadcasts;

/// <summary>This process as a delivery node: its id marks the outbox rows it claimed or is sending.</summary>
public sealed record BroadcastNode(string Id)
{
    public static BroadcastNode ForThisProcess() =>
        new($"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..12]}");
}

/// <summary>An outbox row claimed by this node, waiting for a sender.</summary>
public sealed record ClaimedDelivery(long Id, long BroadcastId, long ResidentId, string Channel, string ChatId);
