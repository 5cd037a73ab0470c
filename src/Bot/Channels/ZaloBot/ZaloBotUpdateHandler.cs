using System.Text.Json;
using Bot.Conversation;
using Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Channels.ZaloBot;

/// <summary>
/// Turns one stored Zalo Bot event into an <see cref="IncomingMessage"/>, runs the conversation and sends the replies.
/// Text goes through <see cref="NumberedChoices"/> (commands, numbered picks).
/// </summary>
public sealed class ZaloBotUpdateHandler(IServiceScopeFactory scopes, ZaloBotApi api, ZaloBotSender sender, ILogger<ZaloBotUpdateHandler> logger)
    : IInboundUpdateHandler
{
    public string Channel => ChannelIds.ZaloBot;

    public async Task HandleAsync(InboundUpdate stored, CancellationToken ct)
    {
        var update = JsonSerializer.Deserialize<ZaloBotUpdate>(stored.Payload, ZaloBotUpdate.Json) ?? throw new JsonException("empty update");
        // Groups are not served: a commune's residents ask the bot one to one.
        if (update.Message is not { From: { Id: { Length: > 0 } userId, IsBot: not true } from, Chat: var chat } message
            || chat?.ChatType?.Equals("GROUP", StringComparison.OrdinalIgnoreCase) == true
            || update.EventName?.StartsWith("message.", StringComparison.Ordinal) != true)
            return;
        var chatId = chat?.Id is { Length: > 0 } id ? id : userId;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var incoming = update.EventName == ZaloBotUpdate.TextReceived && message.Text is { } text
            ? await NumberedChoices.FromTextAsync(db, Channel, userId, chatId, from.DisplayName, text, ct)
            : new IncomingMessage(Channel, userId, chatId, from.DisplayName, IncomingKind.Unsupported, "");
        if (incoming.Kind == IncomingKind.Text)
        {
            try { await api.SendChatActionAsync(chatId, ct); }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // "typing…" is a courtesy: it never costs the resident the reply.
                logger.LogDebug("Zalo Bot typing action failed: {Error}", e.Message);
            }
        }
        var rendered = await NumberedChoices.AnswerAsync(scope.ServiceProvider, incoming, ZaloBotApi.MaxMessageLength, ct);
        try
        {
            foreach (var reply in rendered)
                await sender.SendPartsAsync(chatId, reply.Parts, ct);
        }
        catch (ResidentUnreachableException)
        {
            var resident = await db.Residents.FirstOrDefaultAsync(r => r.Channel == Channel && r.PlatformUserId == userId, ct);
            if (resident is null || resident.Blocked) return;
            resident.Blocked = true;
            resident.BlockedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Zalo Bot resident {ResidentId} cannot be reached; marked blocked", resident.Id);
        }
    }
}
