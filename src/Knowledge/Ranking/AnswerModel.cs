using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Knowledge.Ranking;

/// <summary>One (question, candidate) row as ML.NET reads it.</summary>
internal sealed class CandidateRow
{
    public bool Label { get; set; }

    [VectorType(CandidateFeatures.Count)]
    public float[] Features { get; set; } = [];
}

internal sealed class CandidatePrediction
{
    public float Probability { get; set; }
}

/// <summary>Whether a knowledge base root's answer model is used, and why not.</summary>
public enum AnswerModelStatus
{
    /// <summary>No model file: today's ranking and hand-fitted confidence.</summary>
    Missing,
    /// <summary>The file was trained on other features (its schema hash differs) or cannot be read: fallback too.</summary>
    Stale,
    Loaded,
}

/// <summary>
/// The learned re-ranker and calibrated confidence: an ML.NET FastTree classifier giving, for each weighed
/// candidate, the probability that it is the right answer (Platt-calibrated). Candidates are re-ordered by it and
/// the best one's probability is the confidence. Saved as <see cref="FileName"/> in the knowledge base root with
/// the hash of the feature schema it was trained on; a file with another hash is stale and ignored.
/// </summary>
internal sealed class AnswerModel
{
    public const string FileName = "answer-model.zip";
    private const string SchemaEntry = "AnswerModel/schema.txt";

    // Feature names plus how they are computed: bump the version when a feature's meaning changes.
    private const string FeatureVersion = "2";
    public static string SchemaHash { get; } = Convert.ToHexString(SHA256.HashData(
        Encoding.UTF8.GetBytes(FeatureVersion + "|" + string.Join(",", CandidateFeatures.Names))))[..16].ToLowerInvariant();

    private static readonly MLContext Context = new(seed: 1);
    private readonly ITransformer _transformer;
    private readonly ConcurrentBag<PredictionEngine<CandidateRow, CandidatePrediction>> _engines = [];

    public AnswerModel(ITransformer transformer) => _transformer = transformer;

    public float Probability(float[] features)
    {
        if (!_engines.TryTake(out var engine))
            engine = Context.Model.CreatePredictionEngine<CandidateRow, CandidatePrediction>(_transformer);
        try
        {
            return engine.Predict(new CandidateRow { Features = features }).Probability;
        }
        finally { _engines.Add(engine); }
    }

    public static AnswerModel Train(IReadOnlyList<CandidateRow> rows, ModelSettings settings)
    {
        var data = Context.Data.LoadFromEnumerable(rows);
        var trainer = Context.BinaryClassification.Trainers.FastTree(new Microsoft.ML.Trainers.FastTree.FastTreeBinaryTrainer.Options
        {
            NumberOfLeaves = settings.Leaves,
            NumberOfTrees = settings.Trees,
            MinimumExampleCountPerLeaf = settings.MinLeafExamples,
            LearningRate = settings.LearningRate,
            FeatureColumnName = nameof(CandidateRow.Features),
            LabelColumnName = nameof(CandidateRow.Label),
            NumberOfThreads = 1,
            Seed = 1,
        });
        return new AnswerModel(trainer.Fit(data));
    }

    public void Save(string path)
    {
        var schema = Context.Data.LoadFromEnumerable(Array.Empty<CandidateRow>()).Schema;
        using (var stream = File.Create(path)) Context.Model.Save(_transformer, schema, stream);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        using var writer = new StreamWriter(zip.CreateEntry(SchemaEntry).Open());
        writer.Write(SchemaHash);
    }

    /// <summary>The model of a knowledge base root, or null with the reason (missing, stale).</summary>
    public static (AnswerModel? Model, AnswerModelStatus Status) Load(string root)
    {
        var path = Path.Combine(root, FileName);
        if (!File.Exists(path)) return (null, AnswerModelStatus.Missing);
        try
        {
            using (var zip = ZipFile.OpenRead(path))
            {
                var entry = zip.GetEntry(SchemaEntry);
                if (entry is null) return (null, AnswerModelStatus.Stale);
                using var reader = new StreamReader(entry.Open());
                if (reader.ReadToEnd().Trim() != SchemaHash) return (null, AnswerModelStatus.Stale);
            }
            using var stream = File.OpenRead(path);
            return (new AnswerModel(Context.Model.Load(stream, out _)), AnswerModelStatus.Loaded);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or FormatException or IOException)
        {
            return (null, AnswerModelStatus.Stale);
        }
    }
}

/// <summary>FastTree size; the defaults were chosen by cross-validation on the development set.</summary>
public sealed record ModelSettings(int Trees = 200, int Leaves = 4, int MinLeafExamples = 20, double LearningRate = 0.1);
