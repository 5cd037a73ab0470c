namespace Knowledge;

/// <summary>
/// Logistic model turning the best candidate's match features into the probability that it is the right
/// answer. Fitted with `eval --fit` on the features `eval --features` writes for data/eval.
/// </summary>
internal static class ConfidenceModel
{
    private const float Bias = -0.464f;
    // coverage, phrasing coverage, phrasing recall, lead, unasked intent, words outside (MatchFeatures order)
    private static readonly float[] Weights = [3.753f, -2.748f, 3.668f, 4.358f, -2.464f, -6.063f];

    public static float Probability(MatchFeatures features)
    {
        var x = features.ToArray();
        var z = Bias;
        for (var i = 0; i < x.Length; i++) z += Weights[i] * x[i];
        return 1 / (1 + MathF.Exp(-z));
    }
}
