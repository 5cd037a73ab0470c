using Bot.Storage;

namespace Bot.Channels;

/// <summary>Turns one stored platform update into conversation and replies; one implementation per channel.</summary>
public interface IInboundUpdateHandler
{
    string Channel { get; }
    Task HandleAsync(InboundUpdate update, CancellationToken ct);
}
