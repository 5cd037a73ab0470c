using Bot.Privacy;
using Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Conversation;

/// <summary>
/// Delivers staff replies to handed-over questions on the resident's own channel. The reply is stored first
/// and delivered from the database, so a restart does not lose it. (Web chat residents fetch theirs.)
/// Once delivered (or undeliverable) the reply is kept masked only: staff may have quoted a resident's numbers.
/// </summary>
public sealed class HandoverDeliveryWorker(IServiceScopeFactory scopes, IEnumerable<IChannelSender> senders, ILogger<HandoverDeliveryWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var byChannel = senders.ToDictionary(s => s.Channel);
        if (byChannel.Count == 0) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await DeliverPendingAsync(byChannel, stoppingToken); }
            catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Handover delivery round failed"); }
            await Task.Delay(Interval, stoppingToken).ContinueWith(_ => { });
        }
    }

    internal async Task DeliverPendingAsync(IReadOnlyDictionary<string, IChannelSender> byChannel, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var channels = byChannel.Keys.ToList();
        var pending = await db.Handovers
            .Where(h => h.Status == HandoverStatus.Answered && h.DeliveredAt == null && h.ResidentId != null && channels.Contains(h.Channel))
            .OrderBy(h => h.Id).Take(50).ToListAsync(ct);
        foreach (var handover in pending)
        {
            var resident = await db.Residents.FirstAsync(r => r.Id == handover.ResidentId, ct);
            var text = $"**Cán bộ xã trả lời câu hỏi của bà con**\n«{handover.Question}»\n\n{handover.StaffReply}";
            try
            {
                await byChannel[handover.Channel].SendAsync(resident.ChatId, new OutgoingMessage(text), ct);
                handover.DeliveredAt = DateTimeOffset.UtcNow;
            }
            catch (ResidentUnreachableException)
            {
                handover.Status = HandoverStatus.Closed;
                handover.DeliveredAt = null;
                logger.LogInformation("Handover {Id}: resident {ResidentId} blocked the bot; reply not delivered", handover.Id, resident.Id);
            }
            handover.StaffReply = PersonalDataMasker.Mask(handover.StaffReply);
            await db.SaveChangesAsync(ct);
        }
    }
}

/// <summary>The platform says this resident cannot be reached (blocked the bot, deleted the account).</summary>
public sealed class ResidentUnreachableException(string message) : Exception(message);
