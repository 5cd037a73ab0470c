using System.Text;
using Bot.Admin.Console;
using Bot.Conversation;
using Bot.KnowledgeStore;
using Bot.Storage;
using Knowledge;
using Knowledge.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Bot.Admin.HandoverInbox;

/// <summary>
/// The handover inbox: what the bot could not answer, the same question from many residents as one group (most
/// asked first within the newest), the resident's recent turns, and teaching the bot. Replies and closing go
/// through the handover API (POST /api/admin/handovers/{id}/reply, /close).
/// </summary>
public static class InboxEndpoints
{
    public const int PageSize = 20;
    private const int ScannedHandovers = 5000;

    public sealed record GroupView(string Key, string Question, int Count, IReadOnlyList<long> Ids, IReadOnlyList<string> Channels,
        DateTimeOffset LatestAt, string Status, string? Topic);

    public sealed record InboxPage(int Total, int Page, int PageSize, IReadOnlyList<GroupView> Groups);
    public sealed record HandoverItem(long Id, string Channel, string Question, string Status, DateTimeOffset CreatedAt, string? StaffReply,
        string? RepliedBy, DateTimeOffset? RepliedAt, DateTimeOffset? DeliveredAt);
    public sealed record TurnView(long Id, DateTimeOffset At, string Question, bool Answered, string? FaqId, string? Answer);
    public sealed record Suggestion(string FaqId, string Question, string Topic, double Score);
    public sealed record HandoverDetail(HandoverItem Handover, IReadOnlyList<HandoverItem> Group, IReadOnlyList<TurnView> Turns,
        IReadOnlyList<Suggestion> Suggestions);
    public sealed record TeachRequest(long HandoverId, string? FaqId);

    public static void MapHandoverInbox(this WebApplication app)
    {
        var group = app.MapGroup("/api/admin/inbox").WithTags("console: handover inbox").RequireAuthorization(StaffAuthentication.Policy);
        group.MapGet("/", ListGroups);
        group.MapGet("/{id:long}", GetHandover);
        group.MapPost("/teach", Teach);
    }

    /// <param name="status">open (default), answered, closed or all.</param>
    private static async Task<Ok<InboxPage>> ListGroups(string? status, string? channel, string? topic, string? q, int? page,
        BotDbContext db, KnowledgeProvider knowledge, CancellationToken ct)
    {
        var query = db.Handovers.AsNoTracking();
        var wanted = status is HandoverStatus.Answered or HandoverStatus.Closed or "all" ? status : HandoverStatus.Open;
        if (wanted != "all") query = query.Where(h => h.Status == wanted);
        if (!string.IsNullOrEmpty(channel)) query = query.Where(h => h.Channel == channel);
        var rows = await query.OrderByDescending(h => h.Id).Take(ScannedHandovers).ToListAsync(ct);
        var folded = GroupKey(q ?? "");
        var kb = knowledge.Current;
        var groups = rows.GroupBy(h => GroupKey(h.Question))
            .Where(g => folded.Length == 0 || g.Key.Contains(folded, StringComparison.Ordinal))
            // Rows are newest first: the group reads as its first asker wrote it.
            .Select(g => new GroupView(g.Key, g.Last().Question, g.Count(), g.Select(h => h.Id).ToList(),
                g.Select(h => h.Channel).Distinct().Order().ToList(), g.Max(h => h.CreatedAt),
                g.Any(h => h.Status == HandoverStatus.Open) ? HandoverStatus.Open : g.First().Status, TopicOf(kb, g.Last().Question)))
            .Where(g => string.IsNullOrEmpty(topic) || g.Topic == topic)
            .OrderByDescending(g => g.Count).ThenByDescending(g => g.LatestAt)
            .ToList();
        var number = Math.Max(1, page ?? 1);
        return TypedResults.Ok(new InboxPage(groups.Count, number, PageSize, groups.Skip((number - 1) * PageSize).Take(PageSize).ToList()));
    }

    /// <summary>Questions that differ only in case, diacritics, punctuation or spacing are the same question.</summary>
    public static string GroupKey(string question)
    {
        var folded = VietnameseText.RemoveDiacritics(question).ToLowerInvariant();
        var key = new StringBuilder(folded.Length);
        foreach (var c in folded)
            if (char.IsLetterOrDigit(c)) key.Append(c);
            else if (key.Length > 0 && key[^1] != ' ') key.Append(' ');
        return key.ToString().Trim();
    }

    /// <summary>
    /// The topic of the entry the question comes closest to, though not close enough to answer. Below TopicFloor the
    /// nearest entry is chance (a question about something the base never covers scores under 0.01), so no topic.
    /// </summary>
    private static string? TopicOf(KnowledgeBase kb, string question) =>
        kb.Ask(question, top: 1).Results is [{ FaqId: { } id } best, ..] && best.Score >= TopicFloor ? kb.FindEntry(id)?.Topic : null;

    private const double TopicFloor = 0.1;

    private static async Task<Results<Ok<HandoverDetail>, ProblemHttpResult>> GetHandover(long id, BotDbContext db, KnowledgeProvider knowledge,
        CommuneFacts commune, CancellationToken ct)
    {
        var handover = await db.Handovers.AsNoTracking().FirstOrDefaultAsync(h => h.Id == id, ct);
        if (handover is null) return TypedResults.Problem("Không có câu hỏi này.", statusCode: 404);
        var key = GroupKey(handover.Question);
        var recent = await db.Handovers.AsNoTracking().Where(h => h.Status == handover.Status)
            .OrderByDescending(h => h.Id).Take(ScannedHandovers).ToListAsync(ct);
        var group = recent.Where(h => GroupKey(h.Question) == key).Select(Item).ToList();
        var turns = handover.ResidentId is { } resident
            ? await db.ConversationTurns.AsNoTracking().Where(t => t.ResidentId == resident).OrderByDescending(t => t.Id).Take(10).ToListAsync(ct)
            : [];
        var kb = knowledge.Current;
        var suggestions = kb.Ask(handover.Question, top: 10).Results
            .Where(r => r.FaqId is not null).Take(5)
            .Select(r => kb.FindEntry(r.FaqId!) is { } e ? new Suggestion(e.Id, e.Question, e.Topic, r.Score) : null)
            .OfType<Suggestion>().ToList();
        return TypedResults.Ok(new HandoverDetail(Item(handover), group,
            turns.Select(t => new TurnView(t.Id, t.CreatedAt, t.Question, t.Answered, t.FaqId,
                t.FaqId is not null && kb.FindEntry(t.FaqId) is { } e ? commune.Fill(e.Answer) : null)).ToList(),
            suggestions));
    }

    private static HandoverItem Item(Handover h) =>
        new(h.Id, h.Channel, h.Question, h.Status, h.CreatedAt, h.StaffReply, h.RepliedBy, h.RepliedAt, h.DeliveredAt);

    /// <summary>Adds the handed-over question to an existing entry as another way residents ask it.</summary>
    private static async Task<Results<Ok<Suggestion>, ProblemHttpResult>> Teach(TeachRequest request, HttpContext http, BotDbContext db,
        FaqStore store, KnowledgeProvider knowledge, AuditLog audit, CancellationToken ct)
    {
        var handover = await db.Handovers.AsNoTracking().FirstOrDefaultAsync(h => h.Id == request.HandoverId, ct);
        if (handover is null) return TypedResults.Problem("Không có câu hỏi này.", statusCode: 404);
        var record = await db.FaqEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == request.FaqId && !e.Retired, ct);
        if (record is null) return TypedResults.Problem("Chọn một câu hỏi đang dùng để thêm cách hỏi này vào.", statusCode: 400);
        var content = EntryContent.FromJson(record.Content);
        var question = handover.Question.Trim();
        if (!content.Alternates.Contains(question) && content.Question != question)
        {
            var taught = content with { Alternates = [.. content.Alternates, question] };
            if (await store.UpdateAsync(StaffConsole.Actor(http.User), record.Id, null, taught, record.Version, FaqRevisionActions.Edit, ct) is { } refusal)
                return TypedResults.Problem(refusal.Message, statusCode: refusal.Status);
        }
        await audit.RecordAsync(http.User, "handover-teach", $"faq/{record.Id}", question, ct);
        var answer = knowledge.Current.Ask(question);
        return TypedResults.Ok(new Suggestion(record.Id, content.Question, record.Topic, answer.FaqId == record.Id ? answer.Score : 0));
    }
}
