namespace Bot.Conversation;

/// <summary>
/// Sends a message to a chat on one platform, rendered for it (text, buttons); the seam where Telegram, Zalo and test
/// servers plug in. A platform saying the resident cannot be reached throws <see cref="ResidentUnreachableException"/>.
/// </summary>
public interface IChannelSender
{
    string Channel { get; }
    Task SendAsync(string chatId, OutgoingMessage message, CancellationToken ct);
}
