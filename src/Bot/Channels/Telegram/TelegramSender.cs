using Bot.Conversation;

namespace Bot.Channels.Telegram;

/// <summary>Sends to a resident's Telegram chat; a 403 means the resident blocked the bot.</summary>
public sealed class TelegramSender(TelegramBotApi api) : IChannelSender
{
    public string Channel => ChannelIds.Telegram;

    public Task SendAsync(string chatId, OutgoingMessage message, CancellationToken ct) =>
        SendAsync(long.Parse(chatId), message, SendPacing.Interactive, ct);

    public async Task SendAsync(long chatId, OutgoingMessage message, SendPacing pacing, CancellationToken ct)
    {
        try
        {
            foreach (var (html, markup) in TelegramRenderer.Render(message))
                await api.SendMessageAsync(chatId, html, markup, pacing: pacing, ct: ct);
        }
        catch (TelegramForbiddenException e)
        {
            throw new ResidentUnreachableException(e.Description);
        }
    }
}
