using System.Text.Json;
using Bot.Conversation;
using Bot.Storage;
using Microsoft.EntityFrameworkCore;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Bot.Channels.Telegram;

/// <summary>Turns one stored Telegram update into an <see cref="IncomingMessage"/>, runs the conversation and sends the replies.</summary>
public sealed class TelegramUpdateHandler(IServiceScopeFactory scopes, TelegramBotApi api, TelegramSender sender, TelegramBotProfile profile,
    TelegramOptions options, ILogger<TelegramUpdateHandler> logger) : IInboundUpdateHandler
{
    private readonly TimeSpan typingDelay = TimeSpan.FromMilliseconds(options.TypingDelayMs);

    public string Channel => ChannelIds.Telegram;

    public async Task HandleAsync(InboundUpdate stored, CancellationToken ct)
    {
        var update = JsonSerializer.Deserialize<Update>(stored.Payload, JsonBotAPI.Options)
                     ?? throw new JsonException("empty update");
        await using var scope = scopes.CreateAsyncScope();
        if (update.MyChatMember is { Chat.Type: ChatType.Private } member)
        {
            var removed = member.NewChatMember.Status is ChatMemberStatus.Kicked or ChatMemberStatus.Left;
            await SetBlockedAsync(scope.ServiceProvider.GetRequiredService<BotDbContext>(), member.From.Id, removed, ct);
            return;
        }
        var (incoming, replyChat) = await ToIncomingAsync(update, ct);
        if (incoming is null) return;

        if (update.CallbackQuery is { } callback)
            await AcknowledgeAsync(() => api.AnswerCallbackQueryAsync(callback.Id, ct: ct), "callback answer");

        IReadOnlyList<OutgoingMessage> replies;
        ResidentFloodingException? flooding = null;
        using (var answered = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            var typing = incoming.Kind == IncomingKind.Text ? ShowTypingIfSlowAsync(replyChat, answered.Token, ct) : Task.CompletedTask;
            try
            {
                replies = await scope.ServiceProvider.GetRequiredService<ConversationFlow>().HandleAsync(incoming, ct);
            }
            catch (ResidentFloodingException e)
            {
                flooding = e; // the notice is sent now; the update itself is put back by the inbox
                replies = e.Notice is null ? [] : [e.Notice];
            }
            await answered.CancelAsync();
            await typing;
        }
        try
        {
            foreach (var reply in replies)
                await sender.SendAsync(replyChat, reply, SendPacing.Interactive, ct);
        }
        catch (ResidentUnreachableException)
        {
            await SetBlockedAsync(scope.ServiceProvider.GetRequiredService<BotDbContext>(), long.Parse(incoming.UserId), true, ct);
            return;
        }
        if (flooding is not null) throw flooding;
    }

    /// <summary>"typing…" only when the answer takes a noticeable time (Telegram:TypingDelayMs, default 300).</summary>
    private async Task ShowTypingIfSlowAsync(long chat, CancellationToken answered, CancellationToken ct)
    {
        // Most answers come before the delay: that ending must not throw, an exception per message is costly.
        await Task.Delay(typingDelay, answered).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (answered.IsCancellationRequested) return;
        await AcknowledgeAsync(() => api.SendChatActionAsync(chat, ct), "typing action");
    }

    /// <summary>
    /// An acknowledgement (the button's spinner, "typing…") is a courtesy: whatever it meets (an error, an answer
    /// that is not what the Bot API documents, a time-out) must never cost the resident the reply.
    /// </summary>
    private async Task AcknowledgeAsync(Func<Task> call, string what)
    {
        try
        {
            await call();
        }
        catch (Exception e)
        {
            logger.LogDebug("Telegram {What} failed: {Error}", what, e.Message);
        }
    }

    private async Task<(IncomingMessage? Message, long ReplyChat)> ToIncomingAsync(Update update, CancellationToken ct)
    {
        if (update.CallbackQuery is { Data: { } data } callback)
        {
            var chat = callback.Message?.Chat.Id ?? callback.From.Id;
            return (new IncomingMessage(Channel, callback.From.Id.ToString(), callback.From.Id.ToString(), Name(callback.From),
                IncomingKind.Button, "", ButtonData: data), chat);
        }
        if (update.Message is not { From: { IsBot: false } from } message) return (null, 0);

        var isPrivate = message.Chat.Type == ChatType.Private;
        var userId = from.Id.ToString();
        IncomingMessage Make(IncomingKind kind, string text, string? command = null) =>
            new(Channel, userId, userId, Name(from), kind, text, command);

        if (message.Text is not { } text)
            return isPrivate ? (Make(IncomingKind.Unsupported, ""), message.Chat.Id) : (null, 0);

        var botName = await profile.UsernameAsync(ct);
        if (message.Entities?.FirstOrDefault(e => e.Type == MessageEntityType.BotCommand && e.Offset == 0) is { } commandEntity)
        {
            var token = text[1..commandEntity.Length];
            var at = token.IndexOf('@');
            if (at >= 0)
            {
                if (!token[(at + 1)..].Equals(botName, StringComparison.OrdinalIgnoreCase)) return (null, 0);
                token = token[..at];
            }
            else if (!isPrivate && token is not ("start" or "help" or "menu" or "lienhe"))
            {
                // In groups a bare /command may be meant for another bot: only the harmless ones are answered.
                return (null, 0);
            }
            return (Make(IncomingKind.Command, text[commandEntity.Length..].Trim(), token.ToLowerInvariant()), message.Chat.Id);
        }

        if (isPrivate) return (Make(IncomingKind.Text, text), message.Chat.Id);

        var mention = '@' + botName;
        var mentioned = botName.Length > 0 && message.Entities?.Any(e => e.Type == MessageEntityType.Mention &&
            text.Substring(e.Offset, e.Length).Equals(mention, StringComparison.OrdinalIgnoreCase)) == true;
        return mentioned
            ? (Make(IncomingKind.Text, text.Replace(mention, "", StringComparison.OrdinalIgnoreCase).Trim()), message.Chat.Id)
            : (null, 0);
    }

    private async Task SetBlockedAsync(BotDbContext db, long userId, bool blocked, CancellationToken ct)
    {
        var resident = await db.Residents.FirstOrDefaultAsync(r => r.Channel == Channel && r.PlatformUserId == userId.ToString(), ct);
        if (resident is null || resident.Blocked == blocked) return;
        resident.Blocked = blocked;
        resident.BlockedAt = blocked ? DateTimeOffset.UtcNow : null;
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Telegram resident {ResidentId} {State} the bot", resident.Id, blocked ? "blocked" : "unblocked");
    }

    private static string Name(User user) => string.Join(' ', new[] { user.FirstName, user.LastName }.Where(s => !string.IsNullOrWhiteSpace(s)));
}
