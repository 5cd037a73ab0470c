using Bot.Broadcasts;
using Bot.Channels.Telegram;

namespace Bot.Channels.ZaloBot;

/// <summary>Broadcast sends on the Zalo Bot Platform: plain text, paced by ZaloBot:MaxMessagesPerSecond.</summary>
public sealed class ZaloBotBroadcastChannel(ZaloBotApi api, ZaloBotOptions options) : IBroadcastChannel
{
    public string Channel => ChannelIds.ZaloBot;

    public int MaxUsefulSenders => options.MaxMessagesPerSecond;

    public int MaxAttempts => options.MaxAttempts;

    public TimeSpan RetryBaseDelay => options.RetryBaseDelay;

    public string Render(string text) => NumberedChoices.Plain(text);

    public async Task<BroadcastSendResult> SendAsync(string chatId, string rendered, Func<Task<bool>> markSending, CancellationToken ct)
    {
        var parts = TelegramText.Split(rendered, ZaloBotApi.MaxMessageLength);
        var sent = 0;
        try
        {
            if (!await api.SendBroadcastMessageAsync(chatId, parts[0], markSending, ct))
                return new BroadcastSendResult(BroadcastSendOutcome.Withdrawn);
            for (sent = 1; sent < parts.Count; sent++)
                await api.SendBroadcastMessageAsync(chatId, parts[sent], () => Task.FromResult(true), CancellationToken.None);
            return new BroadcastSendResult(BroadcastSendOutcome.Sent);
        }
        catch (ZaloBotApiException e)
        {
            // Once the first part is out the message has reached the resident: resending would repeat it.
            if (sent > 0) return new BroadcastSendResult(BroadcastSendOutcome.Failed, $"part {sent + 1} of {parts.Count}: {e.ErrorCode} {e.Description}");
            return new BroadcastSendResult(e.Failure switch
            {
                ZaloBotFailure.Forbidden => BroadcastSendOutcome.Blocked,
                ZaloBotFailure.RateLimited => BroadcastSendOutcome.RateLimited,
                ZaloBotFailure.Retryable => BroadcastSendOutcome.Retryable,
                ZaloBotFailure.Ambiguous => BroadcastSendOutcome.Uncertain,
                _ => BroadcastSendOutcome.Failed,
            }, $"{e.ErrorCode} {e.Description}");
        }
    }
}
