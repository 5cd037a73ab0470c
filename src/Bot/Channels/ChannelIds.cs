namespace Bot.Channels;

/// <summary>
/// The one name of each channel, as stored in residents, inbound updates, handovers and broadcasts, and as staff write
/// it in a broadcast's "channel" or a campaign's "channels" and per-channel wording.
/// </summary>
public static class ChannelIds
{
    public const string Telegram = "telegram";
    public const string Zalo = "zalo";
    public const string ZaloBot = "zalo-bot";
    public const string WebChat = "web";

    /// <summary>Every channel a broadcast or a campaign may name; those not switched on deliver to no one.</summary>
    public static readonly string[] All = [Telegram, Zalo, ZaloBot, WebChat];
}
