using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Knowledge.Ranking;

/// <summary>One (question, candidate) row as the re-ranker reads it; Group numbers the question.</summary>
internal sealed class CandidateRow
{
    public bool Label { get; set; }

    [VectorType(CandidateFeatures.Count)]
    public float[] Features { get; set; } = [];

    public uint Group { get; set; }

    /// <summary>How much the row counts in fitting (held-back alternates count less than development questions).</summary>
    public float Weight { get; set; } = 1;
}

/// <summary>A candidate's features with its re-ranker score and margin over the best other candidate: what the confidence reads.</summary>
internal sealed class ConfidenceRow
{
    public const int Width = CandidateFeatures.Count + 2;

    public bool Label { get; set; }

    [VectorType(Width)]
    public float[] Features { get; set; } = [];

    public float Weight { get; set; } = 1;
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
/// The learned re-ranker and calibrated confidence, two ML.NET FastTree models: a LambdaMART ranker orders the
/// weighed candidates of a question; a classifier scores each candidate from its features, its ranker score and its
/// margin over the best other candidate (fitted on ranker scores of questions the ranker did not see), and a Platt
/// curve fitted on out-of-fold scores of the best candidates turns that score into the probability of being right.
/// The best candidate's probability is the confidence.
/// Saved as <see cref="FileName"/> in the knowledge base root with the hash of the feature schema it was trained
/// on; a file with another hash is stale and ignored.
/// </summary>
internal sealed class AnswerModel
{
    public const string FileName = "answer-model.zip";
    internal const string SchemaEntry = "schema.txt";
    internal const string RankerEntry = "ranker.zip", ConfidenceEntry = "confidence.zip";
    private const string CalibrationEntry = "calibration.txt";
    private const int CalibrationFolds = 3;
    private const int ConfidenceDepth = 3;

    // Feature names plus how they are computed: bump the version when a feature's meaning changes.
    private const string FeatureVersion = "7";
    public static string SchemaHash { get; } = Convert.ToHexString(SHA256.HashData(
        Encoding.UTF8.GetBytes(FeatureVersion + "|" + string.Join(",", CandidateFeatures.Names))))[..16].ToLowerInvariant();

    private static readonly MLContext Context = new(seed: 1);
    private readonly ITransformer _ranker;
    private readonly ITransformer _confidence;
    private readonly Platt _calibration;
    private readonly FlatTreeEnsemble _rankerTrees;
    private readonly FlatTreeEnsemble _confidenceTrees;

    private AnswerModel(ITransformer ranker, ITransformer confidence, Platt calibration)
    {
        _ranker = ranker;
        _confidence = confidence;
        _calibration = calibration;
        _rankerTrees = FlatTreeEnsemble.From(ranker);
        _confidenceTrees = FlatTreeEnsemble.From(confidence);
    }

    /// <summary>Re-ranker scores and probabilities of a question's weighed candidates.</summary>
    public (float[] Scores, float[] Probabilities) Score(IReadOnlyList<float[]> candidates)
    {
        var scores = new float[candidates.Count];
        for (var i = 0; i < scores.Length; i++) scores[i] = _rankerTrees.Score(candidates[i]);
        var probabilities = new float[candidates.Count];
        for (var i = 0; i < scores.Length; i++)
            probabilities[i] = _calibration.Probability(_confidenceTrees.Score(ConfidenceFeatures(candidates[i], scores, i)));
        return (scores, probabilities);
    }

    /// <summary>The candidate answered with: the most probable one, the ranker's score breaking ties (as KnowledgeBase orders them).</summary>
    public static int Best(float[] scores, float[] probabilities)
    {
        var best = 0;
        for (var i = 1; i < scores.Length; i++)
            if (probabilities[i] > probabilities[best] || (probabilities[i] == probabilities[best] && scores[i] > scores[best])) best = i;
        return best;
    }

    private static float[] ConfidenceFeatures(float[] features, float[] scores, int i)
    {
        var bestOther = float.NegativeInfinity;
        for (var j = 0; j < scores.Length; j++)
            if (j != i) bestOther = Math.Max(bestOther, scores[j]);
        var x = new float[ConfidenceRow.Width];
        features.CopyTo(x, 0);
        x[^2] = scores[i];
        x[^1] = float.IsNegativeInfinity(bestOther) ? 10 : scores[i] - bestOther;
        return x;
    }

    /// <summary>
    /// Fits the ranker on every question; the classifier on ranker scores obtained by cross-fitting (each question
    /// scored by a ranker fitted without it), so that it learns how far a score can be trusted on new questions; and
    /// the calibration of the classifier's score on out-of-fold scores too (each question's best candidate scored by a
    /// classifier fitted without it). A classifier's own Platt calibration is fitted on the scores of the rows it was
    /// trained on, which are surer than on new questions: 0.6 would not mean right six times in ten.
    /// </summary>
    public static AnswerModel Train(IReadOnlyList<IReadOnlyList<CandidateRow>> questions, ModelSettings settings)
    {
        var ranker = TrainRanker(questions, settings);
        var folds = new List<(int Fold, IReadOnlyList<CandidateRow> Question, float[] Scores)>();
        for (var fold = 0; fold < CalibrationFolds; fold++)
        {
            var foldRanker = TrainRanker(questions.Where((_, i) => i % CalibrationFolds != fold).ToList(), settings);
            var foldTrees = FlatTreeEnsemble.From(foldRanker);
            foreach (var question in questions.Where((_, i) => i % CalibrationFolds == fold))
                folds.Add((fold, question, question.Select(c => foldTrees.Score(c.Features)).ToArray()));
        }
        var confidence = TrainConfidence(folds.SelectMany(ConfidenceRows), settings);
        var bests = new List<(float Score, bool Right, float Weight)>();
        for (var fold = 0; fold < CalibrationFolds; fold++)
        {
            var foldConfidence = TrainConfidence(folds.Where(q => q.Fold != fold).SelectMany(ConfidenceRows), settings);
            var foldTrees = FlatTreeEnsemble.From(foldConfidence);
            foreach (var (_, question, scores) in folds.Where(q => q.Fold == fold))
            {
                var raw = question.Select((c, i) => foldTrees.Score(ConfidenceFeatures(c.Features, scores, i))).ToArray();
                var best = Best(scores, raw);
                bests.Add((raw[best], question[best].Label, question[best].Weight));
            }
        }
        return new AnswerModel(ranker, confidence, Platt.Fit(bests));
    }

    /// <summary>A question's best few candidates (by ranker score) as the classifier learns them.</summary>
    private static IEnumerable<ConfidenceRow> ConfidenceRows((int Fold, IReadOnlyList<CandidateRow> Question, float[] Scores) scored)
    {
        var (_, question, scores) = scored;
        // The decision is about the best few: far-down candidates would teach little but "wrong".
        var cut = scores.Length > ConfidenceDepth ? scores.OrderDescending().ElementAt(ConfidenceDepth - 1) : float.NegativeInfinity;
        for (var i = 0; i < question.Count; i++)
            if (scores[i] >= cut) yield return new ConfidenceRow { Label = question[i].Label, Weight = question[i].Weight, Features = ConfidenceFeatures(question[i].Features, scores, i) };
    }

    private static ITransformer TrainConfidence(IEnumerable<ConfidenceRow> rows, ModelSettings settings) =>
        Context.BinaryClassification.Trainers.FastTree(settings.Apply(new FastTreeBinaryTrainer.Options { ExampleWeightColumnName = nameof(ConfidenceRow.Weight) }))
            .Fit(Context.Data.LoadFromEnumerable(rows.ToList()));

    private static ITransformer TrainRanker(IReadOnlyList<IReadOnlyList<CandidateRow>> questions, ModelSettings settings)
    {
        var rows = questions.SelectMany((candidates, group) => candidates.Select(c => new CandidateRow { Label = c.Label, Features = c.Features, Group = (uint)group, Weight = c.Weight }));
        var data = Context.Data.LoadFromEnumerable(rows);
        var pipeline = Context.Transforms.Conversion.MapValueToKey("GroupKey", nameof(CandidateRow.Group))
            .Append(Context.Transforms.Conversion.ConvertType("RankLabel", nameof(CandidateRow.Label), DataKind.Single))
            .Append(Context.Ranking.Trainers.FastTree(settings.Apply(new FastTreeRankingTrainer.Options
            {
                LabelColumnName = "RankLabel",
                RowGroupColumnName = "GroupKey",
                FeatureColumnName = nameof(CandidateRow.Features),
                ExampleWeightColumnName = nameof(CandidateRow.Weight),
            })));
        return pipeline.Fit(data);
    }

    /// <summary>Writes the file next to its place and moves it there, so a watching base never reads half a model.</summary>
    public void Save(string path)
    {
        var temporary = path + ".tmp";
        using (var zip = ZipFile.Open(temporary, ZipArchiveMode.Create)) WriteEntries(zip);
        File.Move(temporary, path, overwrite: true);
    }

    private void WriteEntries(ZipArchive zip)
    {
        Write(zip, RankerEntry, stream => Context.Model.Save(_ranker, Context.Data.LoadFromEnumerable(Array.Empty<CandidateRow>()).Schema, stream));
        Write(zip, ConfidenceEntry, stream => Context.Model.Save(_confidence, Context.Data.LoadFromEnumerable(Array.Empty<ConfidenceRow>()).Schema, stream));
        Write(zip, CalibrationEntry, stream => stream.Write(Encoding.UTF8.GetBytes(_calibration.ToString())));
        Write(zip, SchemaEntry, stream => stream.Write(Encoding.UTF8.GetBytes(SchemaHash)));
    }

    private static void Write(ZipArchive zip, string name, Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        using var entry = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        entry.Write(buffer.ToArray());
    }

    private static MemoryStream Read(ZipArchive zip, string name)
    {
        var buffer = new MemoryStream();
        using (var entry = (zip.GetEntry(name) ?? throw new InvalidDataException($"{name} missing")).Open()) entry.CopyTo(buffer);
        buffer.Position = 0;
        return buffer;
    }

    /// <summary>The model of a knowledge base root, or none with the reason (missing, stale).</summary>
    public static AnswerModelFile Load(string root)
    {
        var path = Path.Combine(root, FileName);
        if (!File.Exists(path)) return AnswerModelFile.Missing;
        try
        {
            using var zip = ZipFile.OpenRead(path);
            if (zip.GetEntry(SchemaEntry) is null || Encoding.UTF8.GetString(Read(zip, SchemaEntry).ToArray()).Trim() != SchemaHash)
                return AnswerModelFile.Stale;
            using var ranker = Read(zip, RankerEntry);
            using var confidence = Read(zip, ConfidenceEntry);
            var calibration = Platt.Parse(Encoding.UTF8.GetString(Read(zip, CalibrationEntry).ToArray()));
            return new AnswerModelFile(AnswerModelStatus.Loaded, new AnswerModel(Context.Model.Load(ranker, out _), Context.Model.Load(confidence, out _), calibration));
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or FormatException or IOException)
        {
            return AnswerModelFile.Stale;
        }
    }
}

/// <summary>
/// Platt scaling, p = 1 / (1 + e^-(A·score + B)), fitted by weighted maximum likelihood (Newton's method) on the best
/// candidates' out-of-fold scores, with Platt's smoothed targets so that a perfectly separated set stays finite.
/// </summary>
internal readonly record struct Platt(double A, double B)
{
    public float Probability(float score) => (float)(1 / (1 + Math.Exp(-(A * score + B))));

    public static Platt Fit(IReadOnlyList<(float Score, bool Right, float Weight)> examples)
    {
        double positives = examples.Where(e => e.Right).Sum(e => e.Weight), negatives = examples.Where(e => !e.Right).Sum(e => e.Weight);
        double high = (positives + 1) / (positives + 2), low = 1 / (negatives + 2);
        double Loss(double a, double b) => examples.Sum(e =>
        {
            var z = a * e.Score + b;
            var target = e.Right ? high : low;
            // -log p = log(1 + e^-z), -log(1 - p) = log(1 + e^z), computed without overflow.
            return e.Weight * (target * Softplus(-z) + (1 - target) * Softplus(z));
        });
        double a0 = 0, b0 = Math.Log((positives + 1) / (negatives + 1)), loss = Loss(a0, b0);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double ga = 0, gb = 0, haa = 1e-12, hab = 0, hbb = 1e-12;
            foreach (var (score, right, weight) in examples)
            {
                var p = 1 / (1 + Math.Exp(-(a0 * score + b0)));
                var residual = weight * (p - (right ? high : low));
                var curvature = weight * p * (1 - p);
                ga += residual * score;
                gb += residual;
                haa += curvature * score * score;
                hab += curvature * score;
                hbb += curvature;
            }
            var determinant = haa * hbb - hab * hab;
            double da = (hbb * ga - hab * gb) / determinant, db = (haa * gb - hab * ga) / determinant;
            // Newton's step, halved until the loss falls (Platt's own safeguard).
            var step = 1.0;
            while (step > 1e-10 && Loss(a0 - step * da, b0 - step * db) > loss) step /= 2;
            if (step <= 1e-10) break;
            a0 -= step * da;
            b0 -= step * db;
            var next = Loss(a0, b0);
            if (loss - next < 1e-10 * Math.Max(1, loss)) break;
            loss = next;
        }
        return new Platt(a0, b0);
    }

    private static double Softplus(double z) => z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{A:R} {B:R}");

    public static Platt Parse(string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 ? new Platt(double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture))
            : throw new FormatException("calibration: two numbers expected");
    }
}

/// <summary>
/// A knowledge base root's answer model as read once from its file (or why there is none): built bases share it,
/// so a host rebuilding its base for every store change or "try it" draft does not read the file again.
/// </summary>
public sealed class AnswerModelFile
{
    public static AnswerModelFile Missing { get; } = new(AnswerModelStatus.Missing, null);
    internal static AnswerModelFile Stale { get; } = new(AnswerModelStatus.Stale, null);

    internal AnswerModelFile(AnswerModelStatus status, AnswerModel? model)
    {
        Status = status;
        Model = model;
    }

    public AnswerModelStatus Status { get; }

    internal AnswerModel? Model { get; }

    /// <summary>Reads <c>answer-model.zip</c> of a knowledge base root.</summary>
    public static AnswerModelFile Load(string root) => AnswerModel.Load(root);
}

/// <summary>FastTree size; the defaults were chosen by cross-validation on the development set.</summary>
/// <param name="FeatureFraction">Share of the features each tree may split on: trees that cannot all lean on the same few vary less from fit to fit.</param>
public sealed record ModelSettings(int Trees = 200, int Leaves = 4, int MinLeafExamples = 20, double LearningRate = 0.1, double FeatureFraction = 0.5)
{
    /// <summary>Sets the tree size on either trainer's options; one thread and a fixed seed make fits repeatable.</summary>
    internal T Apply<T>(T options) where T : BoostedTreeOptions
    {
        options.NumberOfLeaves = Leaves;
        options.NumberOfTrees = Trees;
        options.MinimumExampleCountPerLeaf = MinLeafExamples;
        options.LearningRate = LearningRate;
        options.NumberOfThreads = 1;
        options.Seed = 1;
        options.FeatureFraction = FeatureFraction;
        return options;
    }
}
