using System.Globalization;
using Knowledge;

namespace Bot.Cli;

public sealed partial class EvalVerb
{
    /// <summary>
    /// Imports each plan of the question file alone next to the FAQ and reports the share of questions whose
    /// answer cites the right section (PlanEvaluation.IsRightSection says exactly what counts).
    /// </summary>
    private async Task<int> PlansAsync(VerbArguments arguments, TextWriter output, TextWriter error)
    {
        if (arguments.Value("--seeds") is not { } seeds)
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }
        var root = knowledge.Value.ResolveRoot(arguments.Value("--kb"));
        var questions = PlanEvaluation.ReadTsv([arguments.Value("--plans")!]);
        var outcomes = PlanEvaluation.Run(root, seeds, questions);
        foreach (var (label, transform) in new (string, Func<string, string>)[] { ("as given", q => q), ("no diacritics", Knowledge.Text.VietnameseText.RemoveDiacritics) })
        {
            var run = label == "as given" ? outcomes : PlanEvaluation.Run(root, seeds, questions.Select(q => q with { Question = transform(q.Question) }).ToList());
            await output.WriteLineAsync($"\n{label}{(questions.Any(q => q.HeldOut) ? " (held-out: scored only)" : "")}");
            foreach (var plan in run.GroupBy(o => o.Question.Plan).Select(g => (g.Key, g.ToList())).Append(("all", run)))
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  {plan.Item1,-30} right section cited {plan.Item2.Count(o => o.RightSection),3}/{plan.Item2.Count,-3} = {plan.Item2.Count(o => o.RightSection) / (double)plan.Item2.Count:0.000}   answered {plan.Item2.Count(o => o.Answer.Answered)}"));
            // Misses of a held-out file are not shown: reading them would be tuning on it.
            if (label != "as given" || questions.Any(q => q.HeldOut)) continue;
            await output.WriteLineAsync("  misses:");
            foreach (var miss in run.Where(o => !o.RightSection))
                await output.WriteLineAsync($"    {miss.Question.Plan} {miss.Question.Section}  got {(miss.Answer.Answered ? miss.Answer.FaqId ?? PlanEvaluation.CitedSection(miss.Answer) ?? miss.Answer.Citation : "-")} ({miss.Answer.Score:0.00})  {miss.Question.Question}");
        }
        return 0;
    }
}
