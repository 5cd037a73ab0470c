using System.Text.Json;
using Bot.Conversation;
using Bot.Storage;

namespace Bot.Broadcasts;

/// <summary>What residents read: the channel's wording, commune placeholders filled, and how to stop at the end.</summary>
public sealed class BroadcastText(CommuneFacts commune)
{
    public const string Footer = "Gõ /unsubscribe để thôi nhận tin.";

    public string Render(string text) => commune.Fill(text.Trim()) + "\n\n" + Footer;

    public string Render(Broadcast broadcast, string channel) => Render(Wording(broadcast.Text, broadcast.ChannelTexts, channel));

    public static string Wording(string text, string? channelTexts, string channel) =>
        channelTexts is not null && JsonSerializer.Deserialize<Dictionary<string, string>>(channelTexts)?.GetValueOrDefault(channel) is { Length: > 0 } own
            ? own
            : text;
}
