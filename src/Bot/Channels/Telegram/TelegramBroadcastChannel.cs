using Bot.Broadcasts;
using Bot.Conversation;

namespace Bot.Channels.Telegram;

/// <summary>Broadcast sends on Telegram: HTML, one message each, paced by the shared rate gate (bot-wide and per chat).</summary>
public sealed class TelegramBroadcastChannel(TelegramBotApi api, TelegramOptions options) : IBroadcastChannel
{
    public string Channel => ChannelIds.Telegram;

    public int MaxUsefulSenders => options.MaxMessagesPerSecond;

    public int MaxAttempts => options.MaxAttempts;

    public TimeSpan RetryBaseDelay => options.RetryBaseDelay;

    public string Render(string text) => TelegramRenderer.Render(new OutgoingMessage(text))[0].Html;

    public async Task<BroadcastSendResult> SendAsync(string chatId, string rendered, Func<Task<bool>> markSending, CancellationToken ct)
    {
        var withdrawn = false;
        try
        {
            await api.SendBroadcastMessageAsync(long.Parse(chatId), rendered, async _ =>
            {
                if (await markSending()) return;
                withdrawn = true;
                throw new OperationCanceledException("delivery withdrawn");
            }, ct);
            return new BroadcastSendResult(BroadcastSendOutcome.Sent);
        }
        catch (OperationCanceledException) when (withdrawn)
        {
            return new BroadcastSendResult(BroadcastSendOutcome.Withdrawn);
        }
        catch (TelegramApiException e)
        {
            return new BroadcastSendResult(e switch
            {
                TelegramForbiddenException => BroadcastSendOutcome.Blocked,
                TelegramRateLimitedException => BroadcastSendOutcome.RateLimited,
                TelegramTransientException { Ambiguous: true } => BroadcastSendOutcome.Uncertain,
                TelegramTransientException => BroadcastSendOutcome.Retryable,
                _ => BroadcastSendOutcome.Failed,
            }, e is TelegramTransientException { Ambiguous: true } ? e.Description : $"{e.ErrorCode} {e.Description}");
        }
    }
}
