using System.IO.Compression;
using Knowledge.Ranking;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Knowledge.Tests;

/// <summary>The flattened trees score exactly as ML.NET's own prediction engine does.</summary>
public class FlatTreeEnsembleTests
{
    private static readonly MLContext Context = new(seed: 3);

    [Fact]
    public void The_shipped_answer_model_scores_as_MLNET_does()
    {
        using var zip = ZipFile.OpenRead(Path.Combine(Fixture.RepositoryData(), AnswerModel.FileName));
        var ranker = Load(zip, AnswerModel.RankerEntry);
        var confidence = Load(zip, AnswerModel.ConfidenceEntry);

        AssertSameScores(ranker, Rows(CandidateFeatures.Count, 300, seed: 1), r => r.Features);
        AssertSameScores(confidence, Rows(ConfidenceRow.Width, 300, seed: 2).Select(r => new ConfidenceRow { Features = r.Features }).ToList(), r => r.Features);
    }

    [Fact]
    public void A_freshly_fitted_ranker_and_classifier_score_as_MLNET_does()
    {
        var rows = Rows(CandidateFeatures.Count, 2000, seed: 5);
        foreach (var (row, i) in rows.Select((r, i) => (r, i)))
        {
            row.Group = (uint)(i / 10);
            row.Label = row.Features[0] + 0.5f * row.Features[1] > 0.8f;
        }
        var data = Context.Data.LoadFromEnumerable(rows);
        var ranker = Context.Transforms.Conversion.MapValueToKey("GroupKey", nameof(CandidateRow.Group))
            .Append(Context.Transforms.Conversion.ConvertType("RankLabel", nameof(CandidateRow.Label), DataKind.Single))
            .Append(Context.Ranking.Trainers.FastTree(new FastTreeRankingTrainer.Options
            {
                LabelColumnName = "RankLabel", RowGroupColumnName = "GroupKey", FeatureColumnName = nameof(CandidateRow.Features),
                NumberOfTrees = 40, NumberOfLeaves = 8, MinimumExampleCountPerLeaf = 5,
            })).Fit(data);
        var classifier = Context.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            FeatureColumnName = nameof(CandidateRow.Features), NumberOfTrees = 40, NumberOfLeaves = 8, MinimumExampleCountPerLeaf = 5,
        }).Fit(data);

        var probe = Rows(CandidateFeatures.Count, 500, seed: 6);
        AssertSameScores(ranker, probe, r => r.Features);
        AssertSameScores(classifier, probe, r => r.Features);
    }

    private static ITransformer Load(ZipArchive zip, string entry)
    {
        using var buffer = new MemoryStream();
        using (var stream = zip.GetEntry(entry)!.Open()) stream.CopyTo(buffer);
        buffer.Position = 0;
        return Context.Model.Load(buffer, out _);
    }

    // Values spread like the features: mostly in [0, 1], some exactly 0 or 1 (split thresholds often sit there), a few larger.
    private static List<CandidateRow> Rows(int width, int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => new CandidateRow
        {
            Features = Enumerable.Range(0, width).Select(_ => random.Next(6) switch
            {
                0 => 0f,
                1 => 1f,
                2 => (float)(random.NextDouble() * 20 - 5),
                _ => (float)random.NextDouble(),
            }).ToArray(),
        }).ToList();
    }

    private static void AssertSameScores<T>(ITransformer model, List<T> rows, Func<T, float[]> features) where T : class
    {
        var flat = FlatTreeEnsemble.From(model);
        var scored = model.Transform(Context.Data.LoadFromEnumerable(rows));
        var expected = scored.GetColumn<float>("Score").ToArray();
        for (var i = 0; i < rows.Count; i++)
            Assert.True(Math.Abs(expected[i] - flat.Score(features(rows[i]))) <= 1e-4f * Math.Max(1, Math.Abs(expected[i])),
                $"row {i}: ML.NET {expected[i]}, flat {flat.Score(features(rows[i]))}");
    }
}
