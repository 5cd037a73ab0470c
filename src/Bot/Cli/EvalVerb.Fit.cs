using System.Globalization;
using Knowledge;
using Knowledge.Ranking;

namespace Bot.Cli;

public sealed partial class EvalVerb
{
    /// <summary>
    /// Fits the answer model on the given files (and plan questions with --plans), reports cross-validated figures
    /// (each question scored by a model fitted without it) next to in-sample ones, and saves the model in the
    /// knowledge base root. Held-out files are refused.
    /// </summary>
    private async Task<int> FitAsync(VerbArguments arguments, TextWriter output, TextWriter error)
    {
        if (arguments.Positional.Count == 0)
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }
        var root = knowledge.Value.ResolveRoot(arguments.Value("--kb"));
        if (await arguments.LoadKnowledgeBaseAsync(knowledge.Value, error) is not { } knowledgeBase) return 1;
        var cases = Evaluation.ReadTsv(arguments.Positional);
        var plans = arguments.Value("--plans") is { } plansPath ? PlanEvaluation.ReadTsv([plansPath]) : [];
        var heldOut = cases.Select(c => c.File).Concat(plans.Select(p => p.File)).Where(Evaluation.IsHeldOut).Distinct().ToList();
        if (heldOut.Count > 0)
        {
            await error.WriteLineAsync($"held-out files are scored, never fitted on: {string.Join(", ", heldOut)}");
            return 2;
        }
        if (plans.Count > 0 && arguments.Value("--seeds") is null)
        {
            await error.WriteLineAsync("--plans needs --seeds DIR (the folder holding the plan files)");
            return 2;
        }

        var fitting = new AnswerModelFitting();
        fitting.Add(knowledgeBase, cases);
        fitting.AddWithoutDiacritics(knowledgeBase, cases);
        if (!arguments.Has("--no-alternates")) fitting.AddAlternates(knowledgeBase, arguments.Float("--alternate-weight", 0.5f));
        if (!arguments.Has("--no-removed")) fitting.AddWithoutExpectedEntry(knowledgeBase, cases, arguments.Float("--removed-weight", 0.2f));
        foreach (var plan in plans.GroupBy(p => p.Plan))
            fitting.Add(PlanEvaluation.WithPlan(root, Path.Combine(arguments.Value("--seeds")!, plan.Key)), plan);
        // A commune that imports plans still gets FAQ questions: they are also learned with the plans' passages competing.
        if (plans.Count > 0)
            fitting.Add(PlanEvaluation.WithPlan(root, plans.Select(p => Path.Combine(arguments.Value("--seeds")!, p.Plan)).Distinct().ToArray()),
                cases.Select(c => c with { File = Path.ChangeExtension(c.File, null) + "+plans.tsv" }));
        var defaults = new ModelSettings();
        var settings = new ModelSettings(arguments.Int("--trees", defaults.Trees), arguments.Int("--leaves", defaults.Leaves),
            arguments.Int("--min-leaf", defaults.MinLeafExamples), arguments.Float("--rate", (float)defaults.LearningRate),
            arguments.Float("--feature-fraction", (float)defaults.FeatureFraction));
        var folds = arguments.Int("--folds", 5);
        var threshold = knowledgeBase.Options.EffectiveThreshold;

        await output.WriteLineAsync($"fitting on {fitting.Count} questions ({cases.Count} FAQ, {plans.Count} about plans), {settings}, threshold {threshold:0.00}");
        var crossValidated = fitting.CrossValidate(folds, settings);
        await ReportAsync($"cross-validated ({folds} folds: each question scored by a model fitted without it)", crossValidated, threshold, output);
        await output.WriteLineAsync("  threshold sweep, development FAQ files (cross-validated): threshold  top-1  conf.wrong  abst.recall");
        var dev = crossValidated.Where(IsDevelopmentAsGiven).ToList();
        foreach (var sweep in Enumerable.Range(6, 9).Select(i => i * 0.05))
        {
            var figures = FittingFigures.Of(dev, sweep);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {sweep,74:0.00}  {figures.Top1:0.000}  {figures.ConfidentWrong,10:0.000}  {Format(figures.AbstentionRecall),11}"));
        }
        if (arguments.Has("--misses"))
            foreach (var miss in crossValidated.Where(q => !q.Group.StartsWith("alternates", StringComparison.Ordinal)
                         && (q.Confidence >= threshold ? !q.BestIsRight : !q.ShouldAbstain)))
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  miss  {miss.Group}  conf {miss.Confidence:0.00}  {(miss.ShouldAbstain ? "should abstain" : miss.BestIsRight ? "right but abstained" : miss.RightAmongCandidates ? "wrong candidate" : "right one not weighed")}  {miss.Question}  [answered {miss.Answered ?? "-"}{(miss.RightAmongCandidates ? ", right " + string.Join(" ", miss.Right) : "")}]"));
        var (inSample, save) = fitting.FitAll(settings);
        await ReportAsync("in-sample (fitted on every question, scored on the same)", inSample, threshold, output);
        var path = Path.Combine(root, AnswerModelFitting.ModelFileName);
        save(path);
        await output.WriteLineAsync($"\nmodel saved to {path}");
        return 0;
    }

    /// <summary>A development FAQ file's question (not one of plans' bases).</summary>
    private static bool IsDevelopment(ScoredQuestion q) => q.Group.StartsWith("dev", StringComparison.Ordinal) && !q.Group.Contains('+');

    private static bool IsTypedWithoutDiacritics(ScoredQuestion q) => q.Group.EndsWith(AnswerModelFitting.WithoutDiacriticsSuffix, StringComparison.Ordinal);

    private static bool IsDevelopmentAsGiven(ScoredQuestion q) => IsDevelopment(q) && !IsTypedWithoutDiacritics(q);

    private static async Task ReportAsync(string title, List<ScoredQuestion> scored, double threshold, TextWriter output)
    {
        await output.WriteLineAsync($"\n{title}");
        await output.WriteLineAsync("  group                                     questions  top-1  conf.wrong  abst.recall  best right  lexical first right");
        var fitted = scored.Where(q => q.Weight > 0).ToList();
        var devFiles = scored.Where(IsDevelopmentAsGiven).ToList();
        var devFolded = scored.Where(q => IsDevelopment(q) && IsTypedWithoutDiacritics(q)).ToList();
        foreach (var group in scored.GroupBy(q => q.Group).Select(g => (g.Key, g.ToList()))
                     .Append(("development FAQ files", devFiles)).Append(("the same without diacritics", devFolded)).Append(("all fitted on", fitted)))
        {
            var figures = FittingFigures.Of(group.Item2, threshold);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {group.Item1,-40}  {figures.Questions,9}  {figures.Top1:0.000}  {figures.ConfidentWrong,10:0.000}  {Format(figures.AbstentionRecall),11}  {figures.RankedFirst,10:0.000}  {figures.LexicalFirst,19:0.000}"));
        }
        await WriteReliabilityAsync("reliability, all fitted on", fitted.Select(q => (q.Confidence, q.BestIsRight, 1.0)), output);
        await WriteReliabilityAsync("  weighted as fitted", fitted.Select(q => (q.Confidence, q.BestIsRight, q.Weight)), output);
        await WriteReliabilityAsync("  dev. FAQ files", devFiles.Select(q => (q.Confidence, q.BestIsRight, 1.0)), output);
    }
}
