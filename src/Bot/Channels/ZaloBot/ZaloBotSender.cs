using Bot.Conversation;

namespace Bot.Channels.ZaloBot;

/// <summary>Sends to a resident's Zalo Bot chat (replies, staff replies); a 403 means the resident cannot be reached.</summary>
public sealed class ZaloBotSender(ZaloBotApi api) : IChannelSender
{
    public string Channel => ChannelIds.ZaloBot;

    public Task SendAsync(string chatId, OutgoingMessage message, CancellationToken ct) =>
        SendPartsAsync(chatId, NumberedChoices.Render(message, ZaloBotApi.MaxMessageLength).Parts, ct);

    public async Task SendPartsAsync(string chatId, IReadOnlyList<string> parts, CancellationToken ct)
    {
        try
        {
            foreach (var part in parts)
                await api.SendMessageAsync(chatId, part, ct);
        }
        catch (ZaloBotApiException e) when (e.Failure == ZaloBotFailure.Forbidden)
        {
            throw new ResidentUnreachableException(e.Description);
        }
    }
}
