using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Knowledge.Ranking;

/// <summary>
/// A fitted FastTree ensemble laid out in flat arrays and evaluated directly. For the ten candidates of a question,
/// ML.NET's prediction engine spends more on moving rows through its cursors than the trees take; this gives the
/// same raw score (bias plus the weighted sum of the trees' leaves) for a fraction of the work.
/// </summary>
internal sealed class FlatTreeEnsemble
{
    // A split node in 16 bytes: walking a tree reads one cache line per node, not four arrays.
    private readonly record struct Node(int Feature, float Threshold, int Left, int Right);

    private readonly int[] _roots;
    private readonly Node[] _nodes;
    private readonly int[] _leafStart;
    private readonly double[] _leaves;
    private readonly double[] _weights;
    private readonly double _bias;

    private FlatTreeEnsemble(RegressionTreeEnsemble ensemble)
    {
        var trees = ensemble.Trees;
        _roots = new int[trees.Count];
        _leafStart = new int[trees.Count];
        _nodes = new Node[trees.Sum(t => t.NumberOfNodes)];
        _leaves = new double[trees.Sum(t => t.NumberOfLeaves)];
        _weights = [.. ensemble.TreeWeights];
        _bias = ensemble.Bias;
        int node = 0, leaf = 0;
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            if (tree.CategoricalSplitFlags.Any(f => f)) throw new InvalidDataException("categorical splits are not used by the answer model");
            _roots[t] = tree.NumberOfNodes == 0 ? -1 : node;
            _leafStart[t] = leaf;
            for (var i = 0; i < tree.NumberOfNodes; i++, node++)
            {
                // Children keep the tree's convention (a negative value is ~leaf), nodes shifted to this tree's offset.
                _nodes[node] = new Node(tree.NumericalSplitFeatureIndexes[i], tree.NumericalSplitThresholds[i],
                    tree.LeftChild[i] < 0 ? tree.LeftChild[i] : tree.LeftChild[i] + _roots[t],
                    tree.RightChild[i] < 0 ? tree.RightChild[i] : tree.RightChild[i] + _roots[t]);
            }
            for (var i = 0; i < tree.NumberOfLeaves; i++) _leaves[leaf++] = tree.LeafValues[i];
        }
    }

    /// <summary>The raw score ML.NET's scorer gives for these features (the "Score" column, before any calibration).</summary>
    public float Score(ReadOnlySpan<float> features)
    {
        var sum = _bias;
        for (var t = 0; t < _roots.Length; t++)
        {
            var node = _roots[t];
            while (node >= 0)
            {
                ref readonly var split = ref _nodes[node];
                node = features[split.Feature] <= split.Threshold ? split.Left : split.Right;
            }
            // A tree without splits is one leaf: ~(-1) = 0.
            sum += _weights[t] * _leaves[_leafStart[t] + ~node];
        }
        return (float)sum;
    }

    /// <summary>The ensemble at the end of a fitted pipeline (a ranker's chain, or a binary classifier with or without its calibrator).</summary>
    public static FlatTreeEnsemble From(ITransformer transformer) => new(FindEnsemble(transformer)
        ?? throw new InvalidDataException($"no FastTree ensemble in {transformer.GetType().Name}"));

    private static RegressionTreeEnsemble? FindEnsemble(ITransformer transformer) => transformer switch
    {
        IEnumerable<ITransformer> chain => chain.Select(FindEnsemble).LastOrDefault(e => e is not null),
        ISingleFeaturePredictionTransformer<object> predictor => Ensemble(predictor.Model),
        _ => null,
    };

    private static RegressionTreeEnsemble? Ensemble(object? model) => model switch
    {
        TreeEnsembleModelParametersBasedOnRegressionTree trees => trees.TrainedTreeEnsemble,
        // FastTree's binary trainer wraps its trees with a Platt calibrator; the answer model reads the raw score.
        CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator> calibrated => calibrated.SubModel.TrainedTreeEnsemble,
        _ => null,
    };
}
