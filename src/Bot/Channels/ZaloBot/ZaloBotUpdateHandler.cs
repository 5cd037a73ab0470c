using System.Text.Json;
using System.Text.RegularExpressions;
using Bot.Conversation;
using Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Channels.ZaloBot;

/// <summary>
/// Turns one stored Zalo Bot event into an <see cref="IncomingMessage"/>, runs the conversation and sends the replies.
/// "/lệnh" is a command; a bare number picks among the choices last offered to that resident (kept in the database).
/// </summary>
public sealed partial class ZaloBotUpdateHandler(IServiceScopeFactory scopes, ZaloBotApi api, ZaloBotSender sender, ILogger<ZaloBotUpdateHandler> logger)
    : IInboundUpdateHandler
{
    public string Channel => ChannelIds.ZaloBot;

    [GeneratedRegex(@"^\s*(\d{1,2})\s*[.)]?\s*$")]
    private static partial Regex BareNumber();

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
        IncomingMessage Make(IncomingKind kind, string text = "", string? command = null, string? button = null) =>
            new(Channel, userId, chatId, from.DisplayName, kind, text, command, button);

        IncomingMessage incoming;
        if (update.EventName != ZaloBotUpdate.TextReceived || message.Text is not { } text)
            incoming = Make(IncomingKind.Unsupported);
        else if (text.TrimStart() is ['/', .. var command])
        {
            var parts = command.Split(' ', 2, StringSplitOptions.TrimEntries);
            incoming = Make(IncomingKind.Command, parts.Length > 1 ? parts[1] : "", parts[0].ToLowerInvariant());
        }
        else if (BareNumber().Match(text) is { Success: true } number
                 && ZaloBotRenderer.Choice(await OfferedAsync(db, userId, ct), int.Parse(number.Groups[1].Value)) is { } choice)
            incoming = Make(IncomingKind.Button, button: choice);
        else
            incoming = Make(IncomingKind.Text, text);

        if (incoming.Kind == IncomingKind.Text)
        {
            try { await api.SendChatActionAsync(chatId, ct); }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // "typing…" is a courtesy: it never costs the resident the reply.
                logger.LogDebug("Zalo Bot typing action failed: {Error}", e.Message);
            }
        }
        var replies = await scope.ServiceProvider.GetRequiredService<ConversationFlow>().HandleAsync(incoming, ct);
        var rendered = replies.Select(ZaloBotRenderer.Render).ToList();
        // The choices of the last reply that offers any are what a bare number answers next, on whichever node.
        var resident = await db.Residents.FirstOrDefaultAsync(r => r.Channel == Channel && r.PlatformUserId == userId, ct);
        if (resident is not null && rendered.LastOrDefault(r => r.Choices.Count > 0) is { } offering)
        {
            resident.OfferedChoices = ZaloBotRenderer.Store(offering.Choices);
            await db.SaveChangesAsync(ct);
        }
        try
        {
            foreach (var reply in rendered)
                await sender.SendPartsAsync(chatId, reply.Parts, ct);
        }
        catch (ResidentUnreachableException)
        {
            if (resident is null || resident.Blocked) return;
            resident.Blocked = true;
            resident.BlockedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Zalo Bot resident {ResidentId} cannot be reached; marked blocked", resident.Id);
        }
    }

    private Task<string?> OfferedAsync(BotDbContext db, string userId, CancellationToken ct) =>
        db.Residents.Where(r => r.Channel == Channel && r.PlatformUserId == userId).Select(r => r.OfferedChoices).FirstOrDefaultAsync(ct);
}
