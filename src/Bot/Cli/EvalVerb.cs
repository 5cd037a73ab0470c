using System.Globalization;
using System.Text.Json;
using Knowledge;
using Microsoft.Extensions.Options;

namespace Bot.Cli;

/// <summary>
/// `eval [--kb DIR] [--json] [--no-diacritics] FILE_OR_DIR...`: measures answers against expected&lt;TAB&gt;question files.
/// `eval --fit ...` fits the answer model (EvalVerb.Fit); `eval --plans ...` scores citations of imported plans (EvalVerb.Plans).
/// </summary>
public sealed partial class EvalVerb(IOptions<KnowledgeOptions> knowledge) : ICliVerb
{
    private const string Usage = "usage: eval [--kb DIR] [--json] [--no-diacritics] FILE_OR_DIR... | eval --fit [--kb DIR] [--folds N] [--no-alternates] [--alternate-weight W] [--no-removed] [--removed-weight W] [--plans PLANS.tsv --seeds DIR] FILE_OR_DIR... | eval --plans PLANS.tsv --seeds DIR [--kb DIR]";

    public string Name => "eval";
    public string Summary => "Đánh giá câu trả lời theo tệp TSV (mã mong đợi<TAB>câu hỏi): eval [--kb DIR] [--json] TỆP_HOẶC_THƯ_MỤC... | eval --fit ... (huấn luyện mô hình xếp hạng) | eval --plans CÂU_HỎI_KẾ_HOẠCH.tsv --seeds THƯ_MỤC";

    public async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        var arguments = new VerbArguments(args, "--json", "--fit", "--no-alternates", "--no-removed", "--misses", "--no-diacritics");
        if (arguments.Has("--fit")) return await FitAsync(arguments, output, error);
        if (arguments.Value("--plans") is not null && arguments.Positional.Count == 0) return await PlansAsync(arguments, output, error);
        if (arguments.Positional.Count == 0)
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }
        if (await arguments.LoadKnowledgeBaseAsync(knowledge.Value, error) is not { } knowledgeBase) return 1;
        var cases = Evaluation.ReadTsv(arguments.Positional);
        // As residents often type: the same questions with every diacritic removed.
        if (arguments.Has("--no-diacritics")) cases = cases.Select(c => c with { Question = Knowledge.Text.VietnameseText.RemoveDiacritics(c.Question) }).ToList();
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

        await output.WriteLineAsync($"answer model          {knowledgeBase.ModelStatus}{(cases.Any(c => c.HeldOut) ? "  (held-out files: scored only)" : "")}");
        await WriteMetricsAsync(metrics, output);
        await WriteReliabilityAsync(outcomes.Select(o => (o.Answer.Score, o.Case.ShouldAbstain ? false : o.Answer.Results.FirstOrDefault()?.FaqId == o.Case.Expected)), output);
        // Misses of a held-out file are not listed: reading them would be tuning on it.
        var failures = outcomes.Where(o => !o.IsCorrect && !o.Case.HeldOut).ToList();
        if (failures.Count > 0) await output.WriteLineAsync($"\nfailures ({failures.Count}):");
        foreach (var failure in failures)
        {
            var got = failure.Answer.Answered ? failure.Answer.FaqId ?? failure.Answer.Citation : "-";
            await output.WriteLineAsync(
                $"  {Path.GetFileName(failure.Case.File)}:{failure.Case.Line}  expected {failure.Case.Expected}  got {got} ({failure.Answer.Score:0.00}, rank {failure.ExpectedRank})  {Bot.Privacy.PersonalDataMasker.Mask(failure.Case.Question)}");
        }
        return 0;
    }

    private static async Task WriteMetricsAsync(EvaluationMetrics metrics, TextWriter output)
    {
        await output.WriteLineAsync($"questions             {metrics.Questions} ({metrics.Answerable} answerable, {metrics.ShouldAbstain} should abstain)");
        await output.WriteLineAsync($"top-1 accuracy        {metrics.Top1:0.000}");
        await output.WriteLineAsync($"recall@3              {metrics.RecallAt3:0.000}");
        await output.WriteLineAsync($"MRR@{Evaluation.MrrDepth}                {metrics.Mrr:0.000}");
        await output.WriteLineAsync($"abstention precision  {Format(metrics.AbstentionPrecision)}");
        await output.WriteLineAsync($"abstention recall     {Format(metrics.AbstentionRecall)}");
        await output.WriteLineAsync($"confident wrong       {metrics.ConfidentWrongRate:0.000} ({metrics.ConfidentWrong})");
        await output.WriteLineAsync($"abstained             {metrics.Abstained}");
    }

    /// <summary>Questions binned by the best candidate's confidence: how often that candidate was right (should-abstain ones never are).</summary>
    private static Task WriteReliabilityAsync(IEnumerable<(double Confidence, bool BestIsRight)> questions, TextWriter output) =>
        WriteReliabilityAsync("reliability", questions.Select(q => (q.Confidence, q.BestIsRight, 1.0)), output);

    /// <summary>The same with each question counted by its weight (mean confidence and share right are weighted).</summary>
    private static async Task WriteReliabilityAsync(string title, IEnumerable<(double Confidence, bool BestIsRight, double Weight)> questions, TextWriter output)
    {
        var list = questions.ToList();
        await output.WriteLineAsync($"{title,-21} confidence  questions  mean conf.  right");
        for (var bin = 0; bin < 10; bin++)
        {
            var inBin = list.Where(q => Math.Min(9, (int)(q.Confidence * 10)) == bin).ToList();
            if (inBin.Count == 0) continue;
            var weight = inBin.Sum(q => q.Weight);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"                      {bin / 10.0:0.0}-{(bin + 1) / 10.0:0.0}     {inBin.Count,9}  {inBin.Sum(q => q.Weight * q.Confidence) / weight,10:0.000}  {inBin.Where(q => q.BestIsRight).Sum(q => q.Weight) / weight:0.000}"));
        }
    }

    private static string Format(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
}
