namespace Knowledge.Ranking;

/// <summary>
/// What the re-ranker and the confidence weigh for one (question, candidate) pair. The first six are those the
/// hand-fitted fallback (ConfidenceModel) reads; the schema hash of the names marks a model trained on other
/// features as stale.
/// </summary>
internal static class CandidateFeatures
{
    public const int Coverage = 0, PhrasingCoverage = 1, PhrasingRecall = 2, Lead = 3, UnaskedIntent = 4, WordsOutside = 5;
    public const int Position = 6, RelativeRank = 7, GapToNext = 8, RelativeBm25 = 9, AnswerCoverage = 10, TagsCoverage = 11;
    public const int HasDiacritics = 12, ContentWords = 13, IsPassage = 14, IntentMatch = 15, IntentAsked = 16, KindsAsked = 17;
    // Per QuestionKind: asked by the question, asked by one of the candidate's wordings, given by its answer or passage.
    public const int QuestionKindBase = 18, CandidateKindBase = QuestionKindBase + QuestionKinds.Count, GivenKindBase = CandidateKindBase + QuestionKinds.Count;
    public const int FaqLead = GivenKindBase + QuestionKinds.Count, HeadingRecall = FaqLead + 1, SpecificUnmet = HeadingRecall + 1, AudienceMismatch = SpecificUnmet + 1;
    public const int VerbatimRun = AudienceMismatch + 1, MissingAnywhere = VerbatimRun + 1, RarestMissing = MissingAnywhere + 1;
    public const int SpecificAskedAlike = RarestMissing + 1, RarestHeldByNone = SpecificAskedAlike + 1, SpecificUnmetByAll = RarestHeldByNone + 1;
    public const int Count = SpecificUnmetByAll + 1;

    public static IReadOnlyList<string> Names { get; } =
    [
        "coverage", "phrasingCoverage", "phrasingRecall", "lead", "unaskedIntent", "wordsOutside",
        "position", "relativeRank", "gapToNext", "relativeBm25", "answerCoverage", "tagsCoverage",
        "hasDiacritics", "contentWords", "isPassage", "intentMatch", "intentAsked", "kindsAsked",
        .. KindNames("asks"),
        .. KindNames("candidateAsks"),
        .. KindNames("candidateGives"),
        "faqLead", "headingRecall", "specificUnmet", "audienceMismatch", "verbatimRun", "missingAnywhere", "rarestMissing",
        "specificAskedAlike", "rarestHeldByNone", "specificUnmetByAll",
    ];

    private static IEnumerable<string> KindNames(string prefix) =>
        Enumerable.Range(0, QuestionKinds.Count).Select(k => prefix + (QuestionKind)(1 << k));
}
