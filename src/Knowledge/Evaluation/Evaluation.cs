namespace Knowledge;

/// <summary>One evaluation question: the FAQ id expected, or "-" when the bot should abstain.</summary>
public sealed record EvaluationCase(string Expected, string Question, string File, int Line)
{
    public const string Abstain = "-";
    public bool ShouldAbstain => Expected == Abstain;

    /// <summary>From a held-out file: scored, never fitted or tuned on.</summary>
    public bool HeldOut => Evaluation.IsHeldOut(File);
}

public sealed record EvaluationOutcome(EvaluationCase Case, Answer Answer)
{
    /// <summary>1-based rank of the expected FAQ entry among the candidates, 0 when absent.</summary>
    public int ExpectedRank
    {
        get
        {
            for (var i = 0; i < Answer.Results.Count; i++)
                if (Answer.Results[i].FaqId == Case.Expected) return i + 1;
            return 0;
        }
    }

    public bool IsCorrect => Case.ShouldAbstain ? !Answer.Answered : Answer.Answered && Answer.FaqId == Case.Expected;
    public bool IsConfidentWrong => Answer.Answered && !IsCorrect;
}

/// <param name="Top1">Answerable questions answered with the expected entry.</param>
/// <param name="AbstentionPrecision">Should-abstain questions among the abstained ones; null when none abstained.</param>
/// <param name="AbstentionRecall">Abstained among the should-abstain questions; null when there are none.</param>
/// <param name="ConfidentWrongRate">Answered wrongly, or answered when it should abstain, over all questions.</param>
public sealed record EvaluationMetrics(
    int Questions, int Answerable, int ShouldAbstain, int Abstained, int Correct, int ConfidentWrong,
    double Top1, double RecallAt3, double Mrr, double? AbstentionPrecision, double? AbstentionRecall, double ConfidentWrongRate);

/// <summary>Reads expected<TAB>question files and measures the answers against them.</summary>
public static class Evaluation
{
    public const int MrrDepth = 10;

    /// <summary>A file is held out when its name or a folder on its path contains "heldout".</summary>
    public static bool IsHeldOut(string path) =>
        Path.GetFullPath(path).Split(Path.DirectorySeparatorChar).Any(part => part.Contains("heldout", StringComparison.OrdinalIgnoreCase));

    /// <summary>The *.tsv files of the given files and directories (a directory's own files, not its subfolders).</summary>
    public static IEnumerable<string> TsvFiles(IEnumerable<string> paths) =>
        paths.SelectMany(path => Directory.Exists(path) ? Directory.GetFiles(path, "*.tsv").Order(StringComparer.Ordinal).ToArray() : [path]);

    /// <summary>Reads TSV files, or every *.tsv of a directory; blank lines and lines starting with # are skipped.</summary>
    public static List<EvaluationCase> ReadTsv(IEnumerable<string> paths)
    {
        var cases = new List<EvaluationCase>();
        foreach (var file in TsvFiles(paths))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#')) continue;
                var tab = line.IndexOf('\t');
                if (tab < 0) throw new FormatException($"{file}:{i + 1}: expected \"id<TAB>question\"");
                cases.Add(new EvaluationCase(line[..tab].Trim(), line[(tab + 1)..].Trim(), file, i + 1));
            }
        }
        return cases;
    }

    public static List<EvaluationOutcome> Run(KnowledgeBase knowledgeBase, IEnumerable<EvaluationCase> cases) =>
        cases.Select(c => new EvaluationOutcome(c, knowledgeBase.Ask(c.Question, MrrDepth))).ToList();

    public static EvaluationMetrics Compute(IReadOnlyList<EvaluationOutcome> outcomes)
    {
        int answerable = 0, shouldAbstain = 0, abstained = 0, abstainedRightly = 0, top1 = 0, inTop3 = 0, correct = 0, confidentWrong = 0;
        double reciprocalRanks = 0;
        foreach (var outcome in outcomes)
        {
            if (outcome.IsCorrect) correct++;
            if (outcome.IsConfidentWrong) confidentWrong++;
            if (!outcome.Answer.Answered)
            {
                abstained++;
                if (outcome.Case.ShouldAbstain) abstainedRightly++;
            }
            if (outcome.Case.ShouldAbstain)
            {
                shouldAbstain++;
                continue;
            }
            answerable++;
            if (outcome.IsCorrect) top1++;
            var rank = outcome.ExpectedRank;
            if (rank is > 0 and <= 3) inTop3++;
            if (rank is > 0 and <= MrrDepth) reciprocalRanks += 1.0 / rank;
        }
        return new EvaluationMetrics(outcomes.Count, answerable, shouldAbstain, abstained, correct, confidentWrong,
            Ratio(top1, answerable), Ratio(inTop3, answerable), answerable == 0 ? 0 : reciprocalRanks / answerable,
            abstained == 0 ? null : (double)abstainedRightly / abstained,
            shouldAbstain == 0 ? null : (double)abstainedRightly / shouldAbstain,
            Ratio(confidentWrong, outcomes.Count));
    }

    private static double Ratio(int count, int total) => total == 0 ? 0 : (double)count / total;
}
