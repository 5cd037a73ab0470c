using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Bot.Conversation;
using Bot.Privacy;
using Bot.Storage;
using Knowledge;
using Microsoft.EntityFrameworkCore;

namespace Bot.Ai;

/// <summary>
/// Turns a follow-up ("còn cho con thì sao?", "ở đâu?", "mất bao lâu?") into a standalone question from the resident's
/// last turns before retrieval: with the model when it is on, else by carrying the previous answer's topic over.
/// The turns come from the conversation log, already masked. A standalone question retrieval cannot answer is not
/// used: the resident's own words are asked instead.
/// </summary>
public sealed partial class FollowUps(BotDbContext db, AiChat chat, AiUsage usage, ILogger<FollowUps> logger)
{
    /// <summary>Only a turn this recent is what a follow-up refers to.</summary>
    public static readonly TimeSpan Recent = TimeSpan.FromMinutes(30);

    private const int MaxWords = 7;
    private const int MaxRewrittenLength = 300;

    private const string System = """
        Viết lại câu hỏi cuối của người dân thành MỘT câu hỏi đầy đủ, tự hiểu được mà không cần đọc các câu trước,
        giữ đúng ý và từ ngữ của người dân, dùng chủ đề của các câu trước. Chỉ trả về câu hỏi đó, không giải thích.
        """;

    // Folded (no diacritics): the whole message asks only where / how long / how much / what papers.
    private static readonly HashSet<string> BareQuestions =
    [
        "o dau", "lam o dau", "nop o dau", "di dau", "den dau", "mat bao lau", "bao lau", "trong bao lau", "bao lau thi co",
        "mat bao nhieu tien", "bao nhieu tien", "het bao nhieu", "mat bao nhieu", "co mat tien khong", "co mat phi khong",
        "phi bao nhieu", "le phi bao nhieu", "can giay to gi", "can mang gi", "can gi", "lam the nao", "the nao", "nhu the nao",
        "khi nao", "bao gio", "ai lam", "lam sao",
    ];

    [GeneratedRegex(@"\s*\b(?:như thế nào|thế nào|ra sao|làm sao|là gì|ở đâu|mất bao lâu|bao lâu|bao nhiêu tiền|thì sao|được không|không)\s*$")]
    private static partial Regex TrailingQuestionWords();

    public async Task<string> StandaloneAsync(Resident resident, string question, KnowledgeBase kb, CancellationToken ct)
    {
        if (!IsFollowUp(question)) return question;
        var turns = await db.ConversationTurns.AsNoTracking().Where(t => t.ResidentId == resident.Id)
            .OrderByDescending(t => t.Id).Take(2).ToListAsync(ct);
        turns = turns.Where(t => t.CreatedAt >= DateTimeOffset.UtcNow - Recent).Reverse().ToList();
        var previous = turns.LastOrDefault(t => t.Answered);
        if (previous is null) return question;

        if (chat.Enabled)
        {
            var history = string.Join("\n", turns.Select(t => $"Người dân: {PersonalDataMasker.Mask(t.Question)}" +
                (t.FaqId is not null && kb.FindEntry(t.FaqId) is { } e ? $"\nTrợ lý trả lời về: {e.Question}" : "")));
            var rewritten = await chat.CompleteAsync("follow-up", System,
                $"{history}\nNgười dân (câu cuối): {PersonalDataMasker.Mask(question)}", usage, ct);
            // Retrieval judges the rewrite: one it cannot answer gives way to the carry-over.
            if (rewritten?.Trim() is { Length: > 0 and <= MaxRewrittenLength } line && !line.Contains('\n') && kb.Ask(line).Answered)
                return line;
            logger.LogInformation("Follow-up rewrite unavailable or unanswerable, carrying the previous topic over");
        }
        var carried = CarryOver(previous, question, kb);
        return kb.Ask(carried).Answered ? carried : question;
    }

    /// <summary>The previous answer's question without its question words, then what the follow-up adds.</summary>
    public static string CarryOver(ConversationTurn previous, string question, KnowledgeBase kb)
    {
        var topic = (previous.FaqId is not null ? kb.FindEntry(previous.FaqId)?.Question : null) ?? previous.Question;
        topic = TrailingQuestionWords().Replace(topic.Trim().TrimEnd('?', '.', '!').ToLowerInvariant(), "");
        var words = Words(question);
        var folded = words.Select(Fold).ToList();
        var (start, end) = (LeadingFrame(folded), words.Count);
        if (end - start > 2 && folded[^2] == "thi" && folded[^1] == "sao") end -= 2;
        return $"{topic} {string.Join(' ', words[start..end])}".Trim() + "?";
    }

    /// <summary>A bare question word, "… thì sao?", or a short "còn …?" / "thế còn …?".</summary>
    public static bool IsFollowUp(string question)
    {
        var folded = Words(question).Select(Fold).ToList();
        if (folded.Count is 0 or > MaxWords) return false;
        return BareQuestions.Contains(string.Join(' ', folded))
            || folded.Count > 2 && folded[^2] == "thi" && folded[^1] == "sao"
            || LeadingFrame(folded) > 0 && folded.Count <= 4;
    }

    private static int LeadingFrame(List<string> folded) => folded switch
    {
        ["the" or "vay", "con", _, ..] => 2,
        ["con", _, ..] => 1,
        _ => 0,
    };

    private static List<string> Words(string text) =>
        text.Trim().TrimEnd('?', '.', '!', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();

    private static string Fold(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant().Normalize(NormalizationForm.FormD))
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) sb.Append(c == 'đ' ? 'd' : c);
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }
}
