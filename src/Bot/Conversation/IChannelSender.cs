using Bot.Storage;

namespace Bot.Conversation;

/// <summary>Sends a message to a resident on one platform; the seam where Telegram, Zalo and test servers plug in.</summary>
public interface IChannelSender
{
    string Channel { get; }
    Task SendAsync(Resident resident, OutgoingMessage message, CancellationToken ct);
}
