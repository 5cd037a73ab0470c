using Bot.Admin.Analytics;
using Bot.Broadcasts;
using Bot.Storage;

namespace Bot.Tests.Console;

/// <summary>
/// A month of known traffic for the dashboard and report tests: residents on three channels, questions answered,
/// handed over (some resolved) and rated, turns right at the period's edges (Vietnam midnight), and one broadcast.
/// </summary>
public static class AnalyticsSeed
{
    public static readonly string[] Entries = ["vneid-la-gi", "atm-gia-danh-cong-an", "ct-binh-dan-hoc-vu-so"];
    public const string Unanswered = "Máy cày của hợp tác xã cho thuê giá bao nhiêu?";
    public const string UnansweredFolded = "may cay cua hop tac xa cho thue gia bao nhieu";

    /// <summary>Last month in Vietnam time: complete, whatever day the test runs.</summary>
    public static Period LastMonth()
    {
        var today = DateOnly.FromDateTime(VietnamTime.ToLocal(DateTimeOffset.UtcNow).DateTime);
        var first = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        return new Period(first, first.AddMonths(1).AddDays(-1));
    }

    public static async Task<List<ConversationTurn>> SeedAsync(BotDbContext db, Period period)
    {
        var channels = new[] { "web", "telegram", "zalo-bot" };
        var residents = Enumerable.Range(0, 12).Select(i => new Resident
        {
            Channel = channels[i % 3], PlatformUserId = $"seed-{i}", ChatId = $"seed-{i}", DisplayName = $"Cư dân {i}",
            Subscribed = i < 10, ConsentAt = i < 10 ? (i < 2 ? period.Start.AddDays(-5) : period.Start.AddDays(i).AddHours(3)) : null,
            Topics = i % 4 == 0 ? "vneid" : "", CreatedAt = period.Start.AddDays(-10), LastSeenAt = period.Start,
        }).ToList();
        db.Residents.AddRange(residents);
        await db.SaveChangesAsync();

        var turns = new List<ConversationTurn>();
        ConversationTurn Turn(Resident r, DateTimeOffset at, string? faqId, bool handedOver = false, int? feedback = null, string? question = null)
        {
            var turn = new ConversationTurn
            {
                ResidentId = r.Id, Channel = r.Channel, Question = question ?? (faqId is null ? Unanswered : $"hỏi về {faqId}"), FaqId = faqId,
                Score = faqId is null ? 0.2 : 0.9, Answered = faqId is not null, HandedOver = handedOver, Feedback = feedback, CreatedAt = at,
            };
            turns.Add(turn);
            return turn;
        }
        for (var day = 0; day < period.Days; day += 2)
            for (var i = 0; i < 8 + day % 5; i++)
            {
                var resident = residents[(day + i) % residents.Count];
                var at = period.Start.AddDays(day).AddHours(1 + i * 2);
                if (i % 4 == 3) Turn(resident, at, null, handedOver: true, question: i % 8 == 3 ? Unanswered : UnansweredFolded);
                else Turn(resident, at, Entries[(day + i) % Entries.Length], feedback: i % 5 == 0 ? 1 : i % 7 == 1 ? -1 : null);
            }
        // Vietnam midnight edges: the first and last minute inside, one minute either side outside.
        Turn(residents[0], period.Start.AddMinutes(-1), Entries[0]);
        Turn(residents[1], period.Start, Entries[1]);
        Turn(residents[2], period.End.AddMinutes(-1), Entries[2]);
        Turn(residents[3], period.End, Entries[0]);
        db.ConversationTurns.AddRange(turns);
        await db.SaveChangesAsync();

        var statuses = new[] { HandoverStatus.Answered, HandoverStatus.Closed, HandoverStatus.Open };
        db.Handovers.AddRange(turns.Where(t => t.HandedOver).Select((t, i) => new Handover
        {
            TurnId = t.Id, ResidentId = t.ResidentId, Channel = t.Channel, Question = t.Question, Status = statuses[i % 3], CreatedAt = t.CreatedAt,
        }));

        var broadcast = new Broadcast
        {
            Title = "Ngày Chuyển đổi số quốc gia (10/10)", CampaignKey = "ngay-chuyen-doi-so-quoc-gia.reminder-0@seed", Text = "Hôm nay là ngày chuyển đổi số.",
            CreatedBy = "calendar", SendAt = period.Start.AddDays(9).AddHours(1), StartedAt = period.Start.AddDays(9).AddHours(1),
            FinishedAt = period.Start.AddDays(9).AddHours(2), Status = BroadcastStatus.Done, CreatedAt = period.Start,
        };
        db.Broadcasts.Add(broadcast);
        await db.SaveChangesAsync();
        var outcomes = new[] { DeliveryStatus.Sent, DeliveryStatus.Sent, DeliveryStatus.Sent, DeliveryStatus.Sent, DeliveryStatus.Failed, DeliveryStatus.Blocked };
        db.BroadcastDeliveries.AddRange(outcomes.Select((status, i) => new BroadcastDelivery
        {
            BroadcastId = broadcast.Id, ResidentId = residents[i].Id, Channel = residents[i].Channel, ChatId = residents[i].ChatId, Status = status,
            FinishedAt = broadcast.FinishedAt,
        }));
        await db.SaveChangesAsync();
        return turns;
    }
}
