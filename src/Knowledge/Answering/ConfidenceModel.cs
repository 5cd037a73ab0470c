using Knowledge.Ranking;

namespace Knowledge;

/// <summary>
/// The fallback confidence when a knowledge base has no usable answer model (answer-model.zip missing or stale):
/// a logistic model over the first six candidate features, fitted before the learned re-ranker existed.
/// </summary>
internal static class ConfidenceModel
{
    private const float Bias = -0.464f;
    // coverage, phrasing coverage, phrasing recall, lead, unasked intent, words outside (CandidateFeatures order)
    private static readonly float[] Weights = [3.753f, -2.748f, 3.668f, 4.358f, -2.464f, -6.063f];

    public static float Probability(float[] features)
    {
        var z = Bias;
        for (var i = 0; i < Weights.Length; i++) z += Weights[i] * features[i];
        return 1 / (1 + MathF.Exp(-z));
    }
}
