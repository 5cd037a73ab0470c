using Knowledge.Text;

namespace Knowledge.Ranking;

/// <summary>One question ready for fitting: its weighed candidates' features and which of them is right.</summary>
/// <param name="Names">What each candidate is (an entry id, or a plan's section), for the misses listing.</param>
internal sealed record FittingQuestion(string Question, string Group, bool ShouldAbstain, IReadOnlyList<CandidateRow> Candidates, float Weight,
    IReadOnlyList<string> Names)
{
    /// <summary>
    /// The fold of a question follows from its text without diacritics or case, so the same question asked of two bases,
    /// or typed with and without diacritics, stays in one fold.
    /// </summary>
    public int Fold(int folds) => FoldOf(VietnameseText.RemoveDiacritics(Question).ToLowerInvariant(), folds);

    public static int FoldOf(string text, int folds)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return (int)(hash % (uint)folds);
    }
}

/// <summary>The decision the model would take on one question: the best candidate's probability and whether it is right.</summary>
/// <param name="Weight">How much the question counted in fitting (held-back alternates and questions asked without their entry count less).</param>
/// <param name="Right">The right candidates among the weighed ones (entry ids or plans' sections).</param>
/// <param name="Answered">The best candidate; null without candidates.</param>
public sealed record ScoredQuestion(string Question, string Group, bool ShouldAbstain, double Confidence, bool BestIsRight, IReadOnlyList<string> Right,
    bool LexicalFirstIsRight = false, double Weight = 1, string? Answered = null)
{
    public bool RightAmongCandidates => Right.Count > 0;
}

/// <summary>Figures of a decision at one threshold, and the reliability of the confidence.</summary>
public sealed record FittingFigures(int Questions, int Answerable, double Top1, double ConfidentWrong, double? AbstentionRecall,
    double RankedFirst, double LexicalFirst, IReadOnlyList<ReliabilityBin> Reliability)
{
    public static FittingFigures Of(IReadOnlyList<ScoredQuestion> scored, double threshold)
    {
        var answerable = scored.Count(q => !q.ShouldAbstain);
        var shouldAbstain = scored.Count - answerable;
        var correct = scored.Count(q => !q.ShouldAbstain && q.BestIsRight && q.Confidence >= threshold);
        var wrong = scored.Count(q => q.Confidence >= threshold && !q.BestIsRight);
        var abstainedRightly = scored.Count(q => q.ShouldAbstain && q.Confidence < threshold);
        var bins = Enumerable.Range(0, 10).Select(b => scored.Where(q => Math.Min(9, (int)(q.Confidence * 10)) == b).ToList())
            .Select((inBin, b) => new ReliabilityBin(b / 10.0, (b + 1) / 10.0, inBin.Count,
                inBin.Count == 0 ? 0 : inBin.Average(q => q.Confidence), inBin.Count == 0 ? 0 : inBin.Count(q => q.BestIsRight) / (double)inBin.Count))
            .ToList();
        return new FittingFigures(scored.Count, answerable, answerable == 0 ? 0 : (double)correct / answerable,
            scored.Count == 0 ? 0 : (double)wrong / scored.Count, shouldAbstain == 0 ? null : (double)abstainedRightly / shouldAbstain,
            answerable == 0 ? 0 : scored.Count(q => !q.ShouldAbstain && q.BestIsRight) / (double)answerable,
            answerable == 0 ? 0 : scored.Count(q => !q.ShouldAbstain && q.LexicalFirstIsRight) / (double)answerable, bins);
    }
}

/// <summary>Questions whose best candidate's confidence fell in [From, To): how often that candidate was right.</summary>
public sealed record ReliabilityBin(double From, double To, int Count, double MeanConfidence, double Accuracy);

/// <summary>
/// Fits the answer model (re-ranker and confidence) from labelled questions: the development set's FAQ
/// questions, questions about imported plans, and what staff taught. Held-out questions are refused.
/// </summary>
public sealed class AnswerModelFitting
{
    public const string ModelFileName = AnswerModel.FileName;

    private readonly List<FittingQuestion> _questions = [];

    public int Count => _questions.Count;

    /// <summary>
    /// Adds FAQ questions answered by <paramref name="knowledgeBase"/> (the expected entry is the right candidate; "-": none),
    /// each counting <paramref name="weight"/> in fitting (0: scored, never fitted on).
    /// </summary>
    public void Add(KnowledgeBase knowledgeBase, IEnumerable<EvaluationCase> cases, float weight = 1)
    {
        foreach (var @case in cases)
        {
            RefuseHeldOut(@case.HeldOut, @case.File);
            Add(knowledgeBase, @case.Question, Path.GetFileName(@case.File), @case.ShouldAbstain,
                item => item is FaqEntry entry && entry.Id == @case.Expected, weight);
        }
    }

    /// <summary>Adds questions about a plan imported in <paramref name="knowledgeBase"/>: a passage of the right section is right.</summary>
    public void Add(KnowledgeBase knowledgeBase, IEnumerable<PlanQuestion> questions)
    {
        var sections = knowledgeBase.Chunks.Select(c => (c.Document, c.Section)).Distinct().ToList();
        foreach (var question in questions)
        {
            RefuseHeldOut(question.HeldOut, question.File);
            var ofPlan = sections.Where(s => s.Document == question.Plan).Select(s => s.Section).ToList();
            Add(knowledgeBase, question.Question, question.Plan, false,
                item => item is DocumentChunk chunk && PlanEvaluation.IsRightSection(question, chunk.Document, chunk.Section, ofPlan));
        }
    }

    /// <summary>Adds generic questions: <paramref name="isRight"/> tells a right candidate (an entry or a passage).</summary>
    public void Add(KnowledgeBase knowledgeBase, string question, string group, bool shouldAbstain, Func<object, bool> isRight, float weight = 1)
    {
        var weighed = knowledgeBase.Weigh(question);
        var candidates = weighed.Select(c => new CandidateRow { Features = c.Features, Label = !shouldAbstain && isRight(c.Item), Weight = weight }).ToList();
        _questions.Add(new FittingQuestion(question, group, shouldAbstain, candidates, weight, weighed.Select(c => NameOf(c.Item)).ToList()));
    }

    private static string NameOf(object item) => item switch
    {
        FaqEntry entry => entry.Id,
        DocumentChunk chunk => chunk.Document + " " + chunk.Section,
        _ => "?",
    };

    /// <summary>Ends the group of questions asked again as typed without diacritics.</summary>
    public const string WithoutDiacriticsSuffix = " (no diacritics)";

    /// <summary>
    /// Adds each FAQ question again as a resident types it without diacritics (group: its file + <see cref="WithoutDiacriticsSuffix"/>),
    /// scored but never fitted on (weight 0), so the cross-validated figures say how the bot does on such questions. Fitting
    /// on them too (weight 0.5) moved the figures along the same trade-off, no better.
    /// </summary>
    public void AddWithoutDiacritics(KnowledgeBase knowledgeBase, IEnumerable<EvaluationCase> cases) =>
        Add(knowledgeBase, cases.Select(c => c with { Question = VietnameseText.RemoveDiacritics(c.Question), File = c.File + WithoutDiacriticsSuffix }),
            weight: 0);

    public const string AlternatesGroup = "alternates (held back)";

    /// <summary>
    /// Adds the FAQ's alternates (the wordings staff taught, among them handover questions turned into alternates) as
    /// labelled questions: each is asked of the base rebuilt without the alternates of its fold, so it is a new
    /// wording for the entry it belongs to, not a verbatim match.
    /// </summary>
    public void AddAlternates(KnowledgeBase knowledgeBase, float weight, int folds = 5)
    {
        for (var fold = 0; fold < folds; fold++)
        {
            var heldBack = new List<(string Id, string Alternate)>();
            var topics = knowledgeBase.Topics.Select(topic => topic with
            {
                Entries = topic.Entries.Select(entry => entry with
                {
                    Alternates = entry.Alternates.Where(alternate =>
                    {
                        if (FittingQuestion.FoldOf(entry.Id + "\n" + alternate, folds) != fold) return true;
                        heldBack.Add((entry.Id, alternate));
                        return false;
                    }).ToList(),
                }).ToList(),
            }).ToList();
            var reduced = knowledgeBase.WithTopics(topics);
            foreach (var (id, alternate) in heldBack)
                Add(reduced, alternate, AlternatesGroup, false, item => item is FaqEntry entry && entry.Id == id, weight);
        }
    }

    public const string EntryRemovedGroup = "entry removed (should abstain)";

    /// <summary>
    /// Adds each answerable question again, asked of the base rebuilt without the entry that answers it: the question
    /// a resident asks about something no entry covers, worded like a real one and near its topic, which the bot must
    /// abstain on. These teach the confidence what an unanswered need looks like (few development questions do).
    /// </summary>
    public void AddWithoutExpectedEntry(KnowledgeBase knowledgeBase, IEnumerable<EvaluationCase> cases, float weight)
    {
        foreach (var group in cases.Where(c => !c.ShouldAbstain).GroupBy(c => c.Expected))
        {
            foreach (var @case in group) RefuseHeldOut(@case.HeldOut, @case.File);
            var topics = knowledgeBase.Topics.Select(topic => topic with { Entries = topic.Entries.Where(e => e.Id != group.Key).ToList() }).ToList();
            var reduced = knowledgeBase.WithTopics(topics);
            foreach (var @case in group)
                Add(reduced, @case.Question, EntryRemovedGroup, true, _ => false, weight);
        }
    }

    private static void RefuseHeldOut(bool heldOut, string file)
    {
        if (heldOut) throw new InvalidOperationException($"{file} is held out: it is scored, never fitted on");
    }

    /// <summary>
    /// Fits on all folds but one and scores the one left out, for each fold: every question is scored by a model
    /// that never saw it (nor the same question asked of another base).
    /// </summary>
    public List<ScoredQuestion> CrossValidate(int folds, ModelSettings settings)
    {
        var scored = new List<ScoredQuestion>();
        for (var fold = 0; fold < folds; fold++)
        {
            var model = AnswerModel.Train(Rows(_questions.Where(q => q.Fold(folds) != fold)), settings);
            scored.AddRange(Score(model, _questions.Where(q => q.Fold(folds) == fold)));
        }
        return scored;
    }

    /// <summary>Fits on every question and scores them (in-sample) with the model returned.</summary>
    public (List<ScoredQuestion> InSample, Action<string> SaveTo) FitAll(ModelSettings settings)
    {
        var model = AnswerModel.Train(Rows(_questions), settings);
        return (Score(model, _questions), model.Save);
    }

    /// <summary>Fits on every question and returns a copy of <paramref name="knowledgeBase"/> answering with that model (benchmarks).</summary>
    public KnowledgeBase FitInto(KnowledgeBase knowledgeBase, ModelSettings settings) =>
        knowledgeBase.WithModel(AnswerModel.Train(Rows(_questions), settings));

    /// <summary>A question of weight 0 is scored, never fitted on.</summary>
    private static List<IReadOnlyList<CandidateRow>> Rows(IEnumerable<FittingQuestion> questions) =>
        questions.Where(q => q.Candidates.Count > 0 && q.Weight > 0).Select(q => q.Candidates).ToList();

    private static List<ScoredQuestion> Score(AnswerModel model, IEnumerable<FittingQuestion> questions) =>
        questions.Select(q =>
        {
            if (q.Candidates.Count == 0) return new ScoredQuestion(q.Question, q.Group, q.ShouldAbstain, 0, false, [], Weight: q.Weight);
            var (scores, probabilities) = model.Score(q.Candidates.Select(c => c.Features).ToList());
            var best = AnswerModel.Best(scores, probabilities);
            var right = q.Names.Where((_, i) => q.Candidates[i].Label).ToList();
            return new ScoredQuestion(q.Question, q.Group, q.ShouldAbstain, probabilities[best], q.Candidates[best].Label, right,
                q.Candidates[0].Label, q.Weight, q.Names[best]);
        }).ToList();
}
