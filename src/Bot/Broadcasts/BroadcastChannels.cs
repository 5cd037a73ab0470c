using Bot.Channels;

namespace Bot.Broadcasts;

/// <summary>The channels this deployment can deliver broadcasts on: those whose <see cref="IBroadcastChannel"/> is registered.</summary>
public sealed record BroadcastChannels(IReadOnlyList<string> Names)
{
    /// <summary>Every channel a broadcast may name; those not switched on deliver to no one.</summary>
    public static IReadOnlyList<string> Known => ChannelIds.All;

    /// <summary>The channels a broadcast for channel (null: all) goes out on here.</summary>
    public IReadOnlyList<string> For(string? channel) => channel is null ? Names : Names.Where(n => n == channel).ToList();
}
