using System.Text.Json.Nodes;
using Bot.Broadcasts;
using Bot.Channels.Telegram;
using Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Channels.ZaloOa;

/// <summary>
/// Broadcast sends on the Zalo OA, under Zalo's rules: a consultation message only to a resident inside the free window
/// with room left under its message cap (<see cref="ZaloOaWindow"/>); otherwise a promotion message when
/// ZaloOa:PromotionEnabled and the OA's quota allow; otherwise nothing is sent and the row is "outside window".
/// </summary>
public sealed class ZaloOaBroadcastChannel(ZaloOaApi api, ZaloOaWindow window, IServiceScopeFactory scopes, ZaloOaOptions options,
    TimeProvider time, ILogger<ZaloOaBroadcastChannel> logger) : IBroadcastChannel
{
    /// <summary>Zalo's limit on a promotion message's header element.</summary>
    private const int PromotionHeaderLength = 100;

    /// <summary>After the OA's promotion quota ran out (-211), no promotion is tried before this (the next day, Vietnam time).</summary>
    private DateTimeOffset promotionQuotaBackAt = DateTimeOffset.MinValue;

    public string Channel => ChannelIds.Zalo;

    public int MaxUsefulSenders => options.MaxMessagesPerSecond;

    public int MaxAttempts => options.MaxAttempts;

    public TimeSpan RetryBaseDelay => options.RetryBaseDelay;

    public string Render(string text) => NumberedChoices.Plain(text);

    public async Task<BroadcastSendResult> SendAsync(string chatId, string rendered, Func<Task<bool>> markSending, CancellationToken ct)
    {
        // Marked first: an unsubscribed resident is skipped, not counted outside the window.
        if (!await markSending()) return new BroadcastSendResult(BroadcastSendOutcome.Withdrawn);
        var parts = TelegramText.Split(rendered, ZaloOaApi.MaxMessageLength);
        var (lastInboundAt, sentInWindow) = await WindowStateAsync(chatId);
        BroadcastSendResult? consultation = null;
        if (window.Allows(lastInboundAt, sentInWindow, parts.Count))
        {
            consultation = await SendConsultationAsync(chatId, parts);
            if (consultation.Outcome != BroadcastSendOutcome.OutsideWindow) return consultation;
        }
        if (!options.PromotionEnabled)
            return consultation ?? new BroadcastSendResult(BroadcastSendOutcome.OutsideWindow, OutsideReason(lastInboundAt));
        if (time.GetUtcNow() < promotionQuotaBackAt)
            return new BroadcastSendResult(BroadcastSendOutcome.OutsideWindow, "promotion quota of the OA used up for today (-211)");
        return await SendPromotionAsync(chatId, rendered);
    }

    private async Task<BroadcastSendResult> SendConsultationAsync(string userId, IReadOnlyList<string> parts)
    {
        var sent = 0;
        try
        {
            for (; sent < parts.Count; sent++)
                await api.SendBroadcastAsync(ZaloOaApi.ConsultationPath, userId, new JsonObject { ["text"] = parts[sent] }, CancellationToken.None);
            return new BroadcastSendResult(BroadcastSendOutcome.Sent);
        }
        catch (ZaloOaApiException e)
        {
            // Once the first part is out the message has reached the resident: resending would repeat it.
            if (sent > 0) return new BroadcastSendResult(BroadcastSendOutcome.Failed, $"part {sent + 1} of {parts.Count}: {e.Short}");
            return Result(e);
        }
        catch (ZaloOaTokenException e)
        {
            return new BroadcastSendResult(BroadcastSendOutcome.Retryable, e.Message);
        }
        finally
        {
            await window.CountSentAsync(userId, sent);
        }
    }

    /// <summary>The promotion template: the first line as its header, the whole text as its body.</summary>
    private async Task<BroadcastSendResult> SendPromotionAsync(string userId, string text)
    {
        var header = text.Split('\n', 2)[0].Trim();
        if (header.Length > PromotionHeaderLength) header = header[..(PromotionHeaderLength - 1)].TrimEnd() + "…";
        var elements = new JsonArray(new JsonObject { ["type"] = "header", ["content"] = header });
        foreach (var part in TelegramText.Split(text, ZaloOaApi.MaxMessageLength))
            elements.Add(new JsonObject { ["type"] = "text", ["align"] = "left", ["content"] = part });
        var message = new JsonObject
        {
            ["attachment"] = new JsonObject
            {
                ["type"] = "template",
                ["payload"] = new JsonObject { ["template_type"] = "promotion", ["language"] = "VI", ["elements"] = elements },
            },
        };
        try
        {
            await api.SendBroadcastAsync(ZaloOaApi.PromotionPath, userId, message, CancellationToken.None);
            return new BroadcastSendResult(BroadcastSendOutcome.Sent);
        }
        catch (ZaloOaApiException e) when (e.Failure == ZaloOaFailure.QuotaExhausted)
        {
            var local = VietnamTime.ToLocal(time.GetUtcNow());
            promotionQuotaBackAt = new DateTimeOffset(local.Date.AddDays(1), local.Offset);
            logger.LogWarning("Zalo OA promotion quota used up ({Error}); residents outside the free window get no broadcast until {BackAt:O}",
                e.Short, promotionQuotaBackAt);
            return new BroadcastSendResult(BroadcastSendOutcome.OutsideWindow, $"promotion quota of the OA used up: {e.Short}");
        }
        catch (ZaloOaApiException e)
        {
            return Result(e);
        }
        catch (ZaloOaTokenException e)
        {
            return new BroadcastSendResult(BroadcastSendOutcome.Retryable, e.Message);
        }
    }

    private static BroadcastSendResult Result(ZaloOaApiException e) => new(e.Failure switch
    {
        ZaloOaFailure.Unreachable => BroadcastSendOutcome.Blocked,
        ZaloOaFailure.OutsideWindow or ZaloOaFailure.RecipientQuota => BroadcastSendOutcome.OutsideWindow,
        ZaloOaFailure.Retryable => BroadcastSendOutcome.Retryable,
        ZaloOaFailure.Ambiguous => BroadcastSendOutcome.Uncertain,
        _ => BroadcastSendOutcome.Failed,
    }, e.Short);

    private string OutsideReason(DateTimeOffset? lastInboundAt) => lastInboundAt switch
    {
        null => "never wrote to the OA",
        { } at when time.GetUtcNow() - at < options.FreeWindow => $"{options.MessagesPerWindow} messages already sent in the free window",
        { } at => $"last wrote {at:O}, over {options.FreeWindowHours} h ago",
    };

    private async Task<(DateTimeOffset? LastInboundAt, int SentInWindow)> WindowStateAsync(string userId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var state = await db.Residents.AsNoTracking().Where(r => r.Channel == ChannelIds.Zalo && r.PlatformUserId == userId)
            .Select(r => new { r.LastInboundAt, r.WindowMessages }).FirstOrDefaultAsync();
        return (state?.LastInboundAt, state?.WindowMessages ?? 0);
    }
}
