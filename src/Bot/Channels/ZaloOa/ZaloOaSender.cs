using Bot.Conversation;

namespace Bot.Channels.ZaloOa;

/// <summary>
/// Sends to a resident of the OA (replies, staff replies) as consultation messages, numbered choices in the text; each
/// message sent counts against the resident's free window.
/// </summary>
public sealed class ZaloOaSender(ZaloOaApi api, ZaloOaWindow window) : IChannelSender
{
    public string Channel => ChannelIds.Zalo;

    public Task SendAsync(string chatId, OutgoingMessage message, CancellationToken ct) =>
        SendPartsAsync(chatId, NumberedChoices.Render(message, ZaloOaApi.MaxMessageLength).Parts, ct);

    public async Task SendPartsAsync(string userId, IReadOnlyList<string> parts, CancellationToken ct)
    {
        var sent = 0;
        try
        {
            foreach (var part in parts)
            {
                await api.SendTextAsync(userId, part, ct);
                sent++;
            }
        }
        finally
        {
            await window.CountSentAsync(userId, sent);
        }
    }
}
