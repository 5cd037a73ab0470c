using System.Text.Json;
using Bot.Conversation;
using Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Channels.ZaloOa;

/// <summary>
/// One stored OA event: user_send_text is answered (commands and numbered picks through <see cref="NumberedChoices"/>),
/// follow greets with the topic menu and the subscription offer, unfollow unsubscribes, media gets the polite request
/// for text; other events are stored and ignored. A resident's message opens the OA's free window (<see cref="ZaloOaWindow"/>).
/// </summary>
public sealed class ZaloOaUpdateHandler(IServiceScopeFactory scopes, ZaloOaSender sender, ZaloOaWindow window, ILogger<ZaloOaUpdateHandler> logger) : IInboundUpdateHandler
{
    public string Channel => ChannelIds.Zalo;

    public async Task HandleAsync(InboundUpdate stored, CancellationToken ct)
    {
        var oaEvent = JsonSerializer.Deserialize<ZaloOaEvent>(stored.Payload, ZaloOaEvent.Json) ?? throw new JsonException("empty event");
        if (oaEvent.UserId is not { Length: > 0 } userId) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        IncomingMessage Make(IncomingKind kind, string? command = null) => new(Channel, userId, userId, null, kind, "", command);

        IncomingMessage incoming;
        switch (oaEvent.EventName)
        {
            case ZaloOaEvent.UserSendText when oaEvent.Message?.Text is { } text:
                incoming = await NumberedChoices.FromTextAsync(db, Channel, userId, userId, null, text, ct);
                break;
            case ZaloOaEvent.Follow:
                incoming = Make(IncomingKind.Command, "start");
                break;
            case ZaloOaEvent.Unfollow:
                await db.Residents.Where(r => r.Channel == Channel && r.PlatformUserId == userId && r.Subscribed).ForEachAsync(r =>
                {
                    r.Subscribed = false;
                    r.Topics = "";
                }, ct);
                await db.SaveChangesAsync(ct);
                return;
            case { } name when ZaloOaEvent.Media.Contains(name):
                incoming = Make(IncomingKind.Unsupported);
                break;
            default:
                return;
        }
        var rendered = await NumberedChoices.AnswerAsync(scope.ServiceProvider, incoming, ZaloOaApi.MaxMessageLength, ct);
        // A message from the resident (not a follow) opens Zalo's free window; the replies below are its first messages.
        if (oaEvent.EventName != ZaloOaEvent.Follow && oaEvent.SentAt is { } sentAt) await window.OpenAsync(userId, sentAt);
        try
        {
            foreach (var reply in rendered)
                await sender.SendAsync(userId, reply, ct);
        }
        catch (ResidentUnreachableException e)
        {
            logger.LogInformation("Zalo OA resident cannot be reached: {Error}", e.Message);
        }
    }
}
