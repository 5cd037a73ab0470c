namespace Knowledge;

/// <summary>
/// An L2-regularised logistic model fitted by Newton's method (the bias is not penalised): how the weights of
/// ConfidenceModel are obtained from labelled match features (`eval --fit`).
/// </summary>
public sealed record LogisticRegression(double[] Weights, double Bias)
{
    private const int MaxIterations = 50;

    public double Probability(IReadOnlyList<double> x)
    {
        var z = Bias;
        for (var i = 0; i < Weights.Length; i++) z += Weights[i] * x[i];
        return 1 / (1 + Math.Exp(-Math.Clamp(z, -30, 30)));
    }

    public static LogisticRegression Fit(IReadOnlyList<(double[] X, bool Label)> rows, double l2 = 0.1)
    {
        var n = rows[0].X.Length + 1;
        var w = new double[n];
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var gradient = new double[n];
            var hessian = new double[n, n];
            var model = new LogisticRegression(w[..^1], w[^1]);
            foreach (var (x, label) in rows)
            {
                var p = model.Probability(x);
                for (var i = 0; i < n; i++)
                {
                    var xi = i < n - 1 ? x[i] : 1;
                    gradient[i] += (p - (label ? 1 : 0)) * xi;
                    for (var j = 0; j < n; j++) hessian[i, j] += p * (1 - p) * xi * (j < n - 1 ? x[j] : 1);
                }
            }
            for (var i = 0; i < n - 1; i++)
            {
                gradient[i] += l2 * w[i];
                hessian[i, i] += l2;
            }
            var step = Solve(hessian, gradient);
            for (var i = 0; i < n; i++) w[i] -= step[i];
            if (step.Max(Math.Abs) < 1e-8) break;
        }
        return new LogisticRegression(w[..^1], w[^1]);
    }

    /// <summary>Gauss-Jordan elimination with partial pivoting; the Hessian is small (one row per feature).</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = new double[n, n + 1];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++) m[i, j] = a[i, j];
            m[i, n] = b[i];
        }
        for (var c = 0; c < n; c++)
        {
            var pivot = c;
            for (var r = c + 1; r < n; r++)
                if (Math.Abs(m[r, c]) > Math.Abs(m[pivot, c])) pivot = r;
            for (var k = 0; k <= n; k++) (m[c, k], m[pivot, k]) = (m[pivot, k], m[c, k]);
            for (var r = 0; r < n; r++)
            {
                if (r == c) continue;
                var f = m[r, c] / m[c, c];
                for (var k = c; k <= n; k++) m[r, k] -= f * m[c, k];
            }
        }
        var solution = new double[n];
        for (var i = 0; i < n; i++) solution[i] = m[i, n] / m[i, i];
        return solution;
    }
}
