using Bot.Conversation;
using Bot.Privacy;
using Knowledge;

namespace Bot.Ai;

/// <summary>How a reply came about: the model's checked text (Text set) or the retrieval answer, and why.</summary>
public sealed record ComposedAnswer(string? Text, IReadOnlyList<AnswerSource> Sources, string Outcome)
{
    public bool Composed => Text is not null;
}

/// <summary>Why the reply is the model's or retrieval's; logged per turn.</summary>
public static class ComposeOutcomes
{
    public const string Composed = "composed";
    public const string Off = "off";
    public const string Abstained = "abstained";
    public const string Unavailable = "unavailable";
    public const string Declined = "declined";
    public const string Rejected = "rejected";
}

/// <summary>
/// Grounded composition: after retrieval answered, the model gets only the retrieved entries and passages, each under
/// a source id, and writes a short answer for an elderly reader citing them; <see cref="DraftCheck"/> decides whether
/// the resident reads it. When retrieval abstains the model is never asked.
/// </summary>
public sealed class AiComposer(AiChat chat, AiUsage usage, CommuneFacts commune, ILogger<AiComposer> logger)
{
    public const string NotEnough = "KHONG_DU_THONG_TIN";

    private const string System = $"""
        Bạn là trợ lý số của UBND xã, trả lời người dân (gọi là "bà con", xưng "tôi"), nhiều người cao tuổi.
        Chỉ dùng thông tin trong các NGUỒN được đưa, không dùng hiểu biết khác.
        Viết tiếng Việt có dấu, câu ngắn, dễ hiểu, tối đa khoảng 120 từ; các bước thì gạch đầu dòng.
        Sau mỗi ý ghi mã nguồn đã dùng trong ngoặc vuông, ví dụ [S1].
        Không thêm số điện thoại, số tiền, ngày tháng, con số hay đường link nào không có nguyên văn trong nguồn.
        Nếu các nguồn không trả lời được câu hỏi, chỉ viết: {NotEnough}
        """;

    public bool Enabled => chat.Enabled;

    public async Task<ComposedAnswer> ComposeAsync(string question, Answer answer, KnowledgeBase kb, CancellationToken ct)
    {
        // With Ai off (the default) every message passes here: only the answering source, no related texts filled.
        if (!chat.Enabled) return new(null, AnswerSources.OfRetrievalAnswer(answer, kb, commune.Fill), ComposeOutcomes.Off);
        if (!answer.Answered) return new(null, [], ComposeOutcomes.Abstained);
        var retrieved = AnswerSources.Retrieved(answer, kb, commune.Fill);
        var retrievalSources = retrieved.Take(1).ToList();

        var draft = await chat.CompleteAsync("compose", System, Prompt(question, retrieved), usage, ct);
        if (draft is null) return new(null, retrievalSources, ComposeOutcomes.Unavailable);
        if (draft.Contains(NotEnough)) return new(null, retrievalSources, ComposeOutcomes.Declined);
        if (DraftCheck.Problem(draft, retrieved, out var cited) is { } problem)
        {
            logger.LogWarning("AI draft refused ({Problem}), answering from retrieval", problem);
            return new(null, retrievalSources, $"{ComposeOutcomes.Rejected}: {problem}");
        }
        return new(DraftCheck.ForResident(draft, cited), cited, ComposeOutcomes.Composed);
    }

    /// <summary>The question is the resident's, masked; the sources are the commune's published texts.</summary>
    private static string Prompt(string question, IReadOnlyList<AnswerSource> sources) =>
        $"CÂU HỎI CỦA BÀ CON: {PersonalDataMasker.Mask(question)}\n\nNGUỒN:\n" +
        string.Join("\n\n", sources.Select(s => $"[{s.Id}] {s.Title}\n{s.Text}"));
}
