using Bot.Ai;
using Bot.Privacy;
using Bot.Storage;
using Knowledge;
using Microsoft.EntityFrameworkCore;

namespace Bot.Conversation;

/// <summary>
/// What the bot replies to one question, after it was logged (and handed over when the bot abstained). Composition
/// says whether the model wrote the reply, the sources it rests on, and why not when it did not.
/// </summary>
public sealed record AskOutcome(Answer Answer, string Reply, long TurnId, long? HandoverId, IReadOnlyList<FaqEntry> Related,
    ComposedAnswer Composition);

/// <summary>
/// Answers a resident's question from the knowledge base on any channel, logs the turn with personal numbers
/// masked, and puts questions the bot abstains on into the staff handover queue.
/// </summary>
public sealed class QuestionAnswerer(KnowledgeProvider knowledge, CommuneFacts commune, BotDbContext db, GroupCommit writes,
    AiComposer composer, FollowUps followUps, ILogger<QuestionAnswerer> logger)
{
    public const int MaxQuestionLength = 1000;

    /// <summary>
    /// A follow-up is made standalone from the resident's last turns, retrieval answers it, and (with Ai on) the model
    /// words the retrieved sources; the resident's own words are what is logged.
    /// </summary>
    public async Task<AskOutcome> AskAsync(string channel, Resident? resident, string question, CancellationToken ct = default)
    {
        var kb = knowledge.Current;
        var standalone = resident is null ? question : await followUps.StandaloneAsync(resident, question, kb, ct);
        var answer = kb.Ask(standalone);
        var composition = await composer.ComposeAsync(standalone, answer, kb, ct);
        return await RecordAsync(kb, channel, resident, question, answer with { Question = question }, composition, ct);
    }

    /// <summary>The resident picked an FAQ entry (a related-question or menu button): answer with it directly.</summary>
    public async Task<AskOutcome?> AnswerEntryAsync(string channel, Resident? resident, string faqId, CancellationToken ct = default)
    {
        var kb = knowledge.Current;
        if (kb.FindEntry(faqId) is not { } entry) return null;
        var related = kb.Ask(entry.Question).Related.Where(id => id != entry.Id).ToList();
        var answer = new Answer(entry.Question, true, entry.Id, 1.0, related, entry.Source, null, entry.Answer, []);
        var sources = AnswerSources.OfRetrievalAnswer(answer, kb, commune.Fill);
        return await RecordAsync(kb, channel, resident, entry.Question, answer, new(null, sources, ComposeOutcomes.Off), ct);
    }

    private async Task<AskOutcome> RecordAsync(KnowledgeBase kb, string channel, Resident? resident, string question, Answer answer,
        ComposedAnswer composition, CancellationToken ct)
    {
        var masked = PersonalDataMasker.Mask(question);
        var now = DateTimeOffset.UtcNow;
        var residentId = resident?.Id;
        var at = writes.Timestamp(now);
        // Every message writes this row: one plain INSERT costs a fraction of change tracking.
        var turnId = await writes.ScalarAsync($"""
            INSERT INTO conversation_log (resident_id, channel, question, faq_id, citation, score, answered, handed_over, created_at)
            VALUES ({residentId}, {channel}, {masked}, {answer.FaqId}, {answer.Citation}, {answer.Score}, {answer.Answered}, {!answer.Answered}, {at})
            RETURNING id
            """);
        long? handoverId = null;
        if (!answer.Answered)
        {
            var handover = new Handover { Channel = channel, ResidentId = residentId, Question = masked, CreatedAt = now, TurnId = turnId };
            db.Handovers.Add(handover);
            await db.SaveChangesAsync(ct);
            handoverId = handover.Id;
        }
        logger.LogInformation("Turn {TurnId} on {Channel}: answered={Answered} faq={FaqId} score={Score:F3} ai={Ai} question=\"{Question}\"",
            turnId, channel, answer.Answered, answer.FaqId ?? answer.Citation, answer.Score, composition.Outcome, masked);

        var related = answer.Related.Select(kb.FindEntry).OfType<FaqEntry>().ToList();
        return new AskOutcome(answer, composition.Text ?? Reply(answer), turnId, handoverId, related, composition);
    }

    private string Reply(Answer answer)
    {
        if (!answer.Answered)
            return commune.Fill(
                "Xin lỗi, tôi chưa có câu trả lời chắc chắn cho câu hỏi này nên không muốn trả lời sai. " +
                "Câu hỏi của bà con đã được chuyển cho cán bộ UBND {commune.name}; cán bộ sẽ trả lời bà con ngay tại đây " +
                "trong {commune.officeHours}. Việc gấp, bà con gọi {commune.hotline}.");
        var text = commune.Fill(answer.Text ?? "");
        return answer.FaqId is null && answer.Citation is not null ? $"{text}\n\n(Nguồn: {answer.Citation})" : text;
    }

    /// <summary>Stores 👍/👎 on a turn; only the resident who asked may rate it.</summary>
    public async Task<bool> RecordFeedbackAsync(long turnId, long? residentId, bool helpful, CancellationToken ct = default)
    {
        var turn = await db.ConversationTurns.FirstOrDefaultAsync(t => t.Id == turnId && t.ResidentId == residentId, ct);
        if (turn is null) return false;
        turn.Feedback = helpful ? 1 : -1;
        turn.FeedbackAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(ct);
        return true;
    }
}
