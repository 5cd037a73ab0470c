using System.Text.Json;
using Knowledge;

namespace Bot.Cli;

/// <summary>
/// `eval [--kb DIR] [--json] [--features OUT.tsv] FILE_OR_DIR...`: measures answers against expected&lt;TAB&gt;question
/// files; --features also writes every weighed candidate's match features. `eval --fit FEATURES.tsv` fits the
/// confidence model on such a file and prints the weights.
/// </summary>
public sealed partial class EvalVerb(IConfiguration configuration) : ICliVerb
{
    public string Name => "eval";
    public string Summary => "Đánh giá câu trả lời theo tệp TSV (mã mong đợi<TAB>câu hỏi): eval [--kb DIR] [--json] [--features RA.tsv] TỆP_HOẶC_THƯ_MỤC... | eval --fit ĐẶC_TRƯNG.tsv";

    public async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        var arguments = new VerbArguments(args, "--json");
        if (arguments.Value("--fit") is { } fitPath)
        {
            await FitAsync(fitPath, output);
            return 0;
        }
        if (arguments.Positional.Count == 0)
        {
            await error.WriteLineAsync("usage: eval [--kb DIR] [--json] [--features OUT.tsv] FILE_OR_DIR... | eval --fit FEATURES.tsv");
            return 2;
        }
        if (await arguments.LoadKnowledgeBaseAsync(configuration, error) is not { } knowledgeBase) return 1;
        var cases = Evaluation.ReadTsv(arguments.Positional);
        if (arguments.Value("--features") is { } featuresPath) await WriteFeaturesAsync(knowledgeBase, cases, featuresPath);
        var outcomes = Evaluation.Run(knowledgeBase, cases);
        var metrics = Evaluation.Compute(outcomes);
        if (arguments.Has("--json"))
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(metrics, new JsonSerializerOptions(AnswerJson.Options)
            {
                PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            }));
            return 0;
        }

        await output.WriteLineAsync($"questions             {metrics.Questions} ({metrics.Answerable} answerable, {metrics.ShouldAbstain} should abstain)");
        await output.WriteLineAsync($"top-1 accuracy        {metrics.Top1:0.000}");
        await output.WriteLineAsync($"recall@3              {metrics.RecallAt3:0.000}");
        await output.WriteLineAsync($"MRR@{Evaluation.MrrDepth}                {metrics.Mrr:0.000}");
        await output.WriteLineAsync($"abstention precision  {Format(metrics.AbstentionPrecision)}");
        await output.WriteLineAsync($"abstention recall     {Format(metrics.AbstentionRecall)}");
        await output.WriteLineAsync($"confident wrong       {metrics.ConfidentWrongRate:0.000} ({metrics.ConfidentWrong})");
        await output.WriteLineAsync($"abstained             {metrics.Abstained}");
        var failures = outcomes.Where(o => !o.IsCorrect).ToList();
        if (failures.Count > 0) await output.WriteLineAsync($"\nfailures ({failures.Count}):");
        foreach (var failure in failures)
        {
            var got = failure.Answer.Answered ? failure.Answer.FaqId ?? failure.Answer.Citation : "-";
            await output.WriteLineAsync(
                $"  {Path.GetFileName(failure.Case.File)}:{failure.Case.Line}  expected {failure.Case.Expected}  got {got} ({failure.Answer.Score:0.00}, rank {failure.ExpectedRank})  {Bot.Privacy.PersonalDataMasker.Mask(failure.Case.Question)}");
        }
        return 0;
    }

    /// <summary>One row per candidate: file, line, expected id, rank, candidate, whether it is the expected one, features.</summary>
    private static async Task WriteFeaturesAsync(KnowledgeBase knowledgeBase, List<EvaluationCase> cases, string path)
    {
        await using var writer = new StreamWriter(path);
        await writer.WriteLineAsync(string.Join('\t', new[] { "file", "line", "expected", "rank", "candidate", "label" }.Concat(MatchFeatures.Names)));
        foreach (var @case in cases)
        {
            var explained = knowledgeBase.Explain(@case.Question, Evaluation.MrrDepth);
            for (var i = 0; i < explained.Count; i++)
            {
                var (candidate, features) = explained[i];
                var id = candidate.FaqId ?? candidate.Citation;
                await writer.WriteLineAsync(string.Join('\t', new[] { Path.GetFileName(@case.File), @case.Line.ToString(), @case.Expected,
                    (i + 1).ToString(), id, id == @case.Expected ? "1" : "0" }
                    .Concat(features.ToArray().Select(f => f.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)))));
            }
        }
    }

    private static string Format(double? value) => value is { } v ? v.ToString("0.000") : "n/a";
}
