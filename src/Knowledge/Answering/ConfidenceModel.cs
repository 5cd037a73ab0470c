namespace Knowledge;

/// <summary>
/// Logistic model turning the best candidate's match features into the probability that it is the right
/// answer. Fitted with `eval --fit` on the features `eval --features` writes for data/eval.
/// </summary>
internal static class ConfidenceModel
{
    private const float Bias = -4.817f;
    // coverage, phrasing coverage, phrasing recall, lead, unasked intent (MatchFeatures order)
    private static readonly float[] Weights = [6.019f, -0.784f, 4.611f, 3.828f, -2.319f];

    public static float Probability(MatchFeatures features)
    {
        var x = features.ToArray();
        var z = Bias;
        for (var i = 0; i < x.Length; i++) z += Weights[i] * x[i];
        return 1 / (1 + MathF.Exp(-z));
    }
}
