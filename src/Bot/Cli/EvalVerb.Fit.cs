using System.Globalization;
using Knowledge;

namespace Bot.Cli;

public sealed partial class EvalVerb
{
    private static readonly double[] FitThresholds = Enumerable.Range(4, 15).Select(i => i * 0.05).ToArray();

    /// <summary>The best candidate of one question, as `eval --features` wrote it.</summary>
    private sealed record FittedQuestion(string File, bool ShouldAbstain, bool IsExpected, double[] Features);

    /// <summary>
    /// Fits the confidence model on each eval file but one and reports on the one left out (held-out figures),
    /// then on all of them: the weights to copy into ConfidenceModel.
    /// </summary>
    private static async Task FitAsync(string featuresPath, TextWriter output)
    {
        var (names, questions) = ReadBestCandidates(featuresPath);
        foreach (var heldOut in questions.Select(q => q.File).Distinct().Order(StringComparer.Ordinal))
        {
            var model = Fit(questions.Where(q => q.File != heldOut));
            var test = questions.Where(q => q.File == heldOut).ToList();
            await output.WriteLineAsync($"fit without {heldOut}, held out ({test.Count} questions):");
            await ReportAsync(model, test, output);
        }
        var final = Fit(questions);
        await output.WriteLineAsync($"fit on all ({questions.Count} questions), in-sample:");
        await ReportAsync(final, questions, output);
        await output.WriteLineAsync("weights: " + string.Join(", ", names.Zip(final.Weights, (n, w) => $"{n} {Number(w)}")) + $", bias {Number(final.Bias)}");
    }

    private static LogisticRegression Fit(IEnumerable<FittedQuestion> questions) =>
        LogisticRegression.Fit(questions.Select(q => (q.Features, q.IsExpected)).ToList());

    private static async Task ReportAsync(LogisticRegression model, List<FittedQuestion> questions, TextWriter output)
    {
        await output.WriteLineAsync("  threshold  top-1  conf.wrong  abst.recall");
        var answerable = questions.Count(q => !q.ShouldAbstain);
        var shouldAbstain = Math.Max(1, questions.Count - answerable);
        foreach (var threshold in FitThresholds)
        {
            int correct = 0, wrong = 0, rightlyAbstained = 0;
            foreach (var question in questions)
            {
                var answered = model.Probability(question.Features) >= threshold;
                if (answered && question.IsExpected) correct++;
                else if (answered) wrong++;
                else if (question.ShouldAbstain) rightlyAbstained++;
            }
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {threshold,9:0.00}  {(double)correct / answerable:0.000}  {(double)wrong / questions.Count,10:0.000}  {(double)rightlyAbstained / shouldAbstain,11:0.000}"));
        }
    }

    private static (string[] Names, List<FittedQuestion> Questions) ReadBestCandidates(string path)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Split('\t') ?? throw new InvalidDataException($"{path} is empty");
        var questions = new List<FittedQuestion>();
        while (reader.ReadLine() is { } line)
        {
            var columns = line.Split('\t');
            if (columns[3] != "1") continue;
            questions.Add(new FittedQuestion(columns[0], columns[2] == EvaluationCase.Abstain, columns[5] == "1",
                columns[6..].Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray()));
        }
        return (header[6..], questions);
    }

    private static string Number(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
