using Bot.Channels.Telegram;

namespace Bot.Broadcasts;

/// <summary>The channels this deployment can deliver broadcasts on (Telegram when it is switched on).</summary>
public sealed record BroadcastChannels(IReadOnlyList<string> Names)
{
    /// <summary>Every channel a broadcast may name; those not switched on deliver to no one.</summary>
    public static readonly string[] Known = ["telegram", "zalo", "webchat"];

    public static BroadcastChannels FromConfiguration(IConfiguration configuration) =>
        new(TelegramChannel.ModeFrom(configuration) == TelegramMode.Off ? [] : [TelegramWebhook.Channel]);

    /// <summary>The channels a broadcast for channel (null: all) goes out on here.</summary>
    public IReadOnlyList<string> For(string? channel) => channel is null ? Names : Names.Where(n => n == channel).ToList();
}
