using System.Text.Json;
using Knowledge;

namespace Bot.Cli;

/// <summary>`eval [--kb DIR] [--json] FILE_OR_DIR...`: measures answers against expected&lt;TAB&gt;question files.</summary>
public sealed class EvalVerb(IConfiguration configuration) : ICliVerb
{
    public string Name => "eval";
    public string Summary => "Đánh giá câu trả lời theo tệp TSV (mã mong đợi<TAB>câu hỏi): eval [--kb DIR] [--json] TỆP_HOẶC_THƯ_MỤC...";

    public async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        var arguments = new VerbArguments(args, "--json");
        if (arguments.Positional.Count == 0)
        {
            await error.WriteLineAsync("usage: eval [--kb DIR] [--json] FILE_OR_DIR...");
            return 2;
        }
        if (await arguments.LoadKnowledgeBaseAsync(configuration, error) is not { } knowledgeBase) return 1;
        var outcomes = Evaluation.Run(knowledgeBase, Evaluation.ReadTsv(arguments.Positional));
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

    private static string Format(double? value) => value is { } v ? v.ToString("0.000") : "n/a";
}
