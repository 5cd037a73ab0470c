using System.Globalization;
using System.Net;
using System.Text;

namespace Bot.Admin.Analytics;

/// <summary>
/// Charts drawn on the server as SVG (no chart script, nothing from a CDN): stacked bars, lines and horizontal bars,
/// with a legend and the figures as text. Presentation attributes only, so the page's strict CSP needs no inline style.
/// </summary>
public static class SvgCharts
{
    public sealed record Series(string Name, string Color, IReadOnlyList<double> Values);
    public sealed record Bar(string Label, double Value, double? Of = null);

    private const int Width = 720, Height = 280, Left = 48, Right = 16, Top = 40, Bottom = 44;
    private const string Font = "font-family=\"system-ui, sans-serif\"";
    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    public static string StackedBars(string title, IReadOnlyList<string> labels, IReadOnlyList<Series> series) =>
        Plot(title, labels, series, stacked: true);

    public static string Lines(string title, IReadOnlyList<string> labels, IReadOnlyList<Series> series) =>
        Plot(title, labels, series, stacked: false);

    private static string Plot(string title, IReadOnlyList<string> labels, IReadOnlyList<Series> series, bool stacked)
    {
        var svg = Begin(title, Width, Height);
        Legend(svg, series);
        var n = labels.Count;
        var max = n == 0 ? 0 : stacked
            ? Enumerable.Range(0, n).Max(i => series.Sum(s => s.Values[i]))
            : series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max();
        var (top, step) = Scale(max);
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        double Y(double v) => Top + plotHeight - (top == 0 ? 0 : v / top * plotHeight);
        for (var tick = 0.0; tick <= top + step / 2; tick += step)
        {
            svg.Append($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(Y(tick))}\" y2=\"{F(Y(tick))}\" stroke=\"#e3e7ec\"/>");
            svg.Append($"<text x=\"{Left - 6}\" y=\"{F(Y(tick) + 4)}\" text-anchor=\"end\" font-size=\"11\" fill=\"#5b6675\" {Font}>{N(tick)}</text>");
        }
        if (n == 0)
        {
            svg.Append($"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\" font-size=\"14\" fill=\"#5b6675\" {Font}>Chưa có số liệu trong kỳ này</text>");
            return End(svg);
        }
        var slot = plotWidth / (double)n;
        var every = Math.Max(1, (int)Math.Ceiling(n / 12.0));
        for (var i = 0; i < n; i++)
        {
            var x = Left + i * slot;
            if (stacked)
            {
                var baseline = 0.0;
                foreach (var s in series)
                {
                    var v = s.Values[i];
                    if (v <= 0) continue;
                    svg.Append($"<rect x=\"{F(x + slot * 0.12)}\" y=\"{F(Y(baseline + v))}\" width=\"{F(Math.Max(1, slot * 0.76))}\" " +
                               $"height=\"{F(Y(baseline) - Y(baseline + v))}\" fill=\"{s.Color}\"><title>{Esc(labels[i])} · {Esc(s.Name)}: {N(v)}</title></rect>");
                    baseline += v;
                }
            }
            if (i % every == 0)
                svg.Append($"<text x=\"{F(x + slot / 2)}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#5b6675\" {Font}>{Esc(labels[i])}</text>");
        }
        if (!stacked)
            foreach (var s in series)
            {
                var points = string.Join(' ', s.Values.Select((v, i) => $"{F(Left + (i + 0.5) * slot)},{F(Y(v))}"));
                svg.Append($"<polyline points=\"{points}\" fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"2.5\"><title>{Esc(s.Name)}: {N(s.Values[^1])}</title></polyline>");
            }
        svg.Append($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(Y(0))}\" y2=\"{F(Y(0))}\" stroke=\"#9aa5b1\"/>");
        return End(svg);
    }

    /// <summary>One bar per row, longest first as given; with Of, the bar shows Value out of Of.</summary>
    public static string HorizontalBars(string title, IReadOnlyList<Bar> rows, string color)
    {
        const int rowHeight = 26, labelWidth = 300;
        var height = Top + Math.Max(1, rows.Count) * rowHeight + 12;
        var svg = Begin(title, Width, height);
        if (rows.Count == 0)
            svg.Append($"<text x=\"{Width / 2}\" y=\"{Top + 16}\" text-anchor=\"middle\" font-size=\"14\" fill=\"#5b6675\" {Font}>Chưa có số liệu trong kỳ này</text>");
        var max = rows.Select(r => r.Of ?? r.Value).DefaultIfEmpty(0).Max();
        var barSpace = Width - Left - labelWidth - 90.0;
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var y = Top + i * rowHeight;
            var label = r.Label.Length > 46 ? r.Label[..45] + "…" : r.Label;
            svg.Append($"<text x=\"{Left + labelWidth - 8}\" y=\"{y + 16}\" text-anchor=\"end\" font-size=\"12\" fill=\"#1c2430\" {Font}>{Esc(label)}<title>{Esc(r.Label)}</title></text>");
            var x0 = Left + labelWidth;
            if (r.Of is { } of && max > 0)
                svg.Append($"<rect x=\"{x0}\" y=\"{y + 4}\" width=\"{F(of / max * barSpace)}\" height=\"16\" fill=\"#e3e7ec\"/>");
            var width = max == 0 ? 0 : r.Value / max * barSpace;
            svg.Append($"<rect x=\"{x0}\" y=\"{y + 4}\" width=\"{F(Math.Max(width, r.Value > 0 ? 1 : 0))}\" height=\"16\" fill=\"{color}\"/>");
            var figure = r.Of is { } total ? $"{N(r.Value)}/{N(total)}" : N(r.Value);
            svg.Append($"<text x=\"{F(x0 + Math.Max(width, r.Of is { } o && max > 0 ? o / max * barSpace : 0) + 6)}\" y=\"{y + 16}\" font-size=\"12\" fill=\"#1c2430\" {Font}>{figure}</text>");
        }
        return End(svg);
    }

    private static StringBuilder Begin(string title, int width, int height) => new StringBuilder()
        .Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{Esc(title)}\">")
        .Append($"<title>{Esc(title)}</title><rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>")
        .Append($"<text x=\"{Left}\" y=\"18\" font-size=\"14\" font-weight=\"600\" fill=\"#1c2430\" {Font}>{Esc(title)}</text>");

    private static void Legend(StringBuilder svg, IReadOnlyList<Series> series)
    {
        var x = (double)Left;
        foreach (var s in series)
        {
            svg.Append($"<rect x=\"{F(x)}\" y=\"26\" width=\"10\" height=\"10\" fill=\"{s.Color}\"/>");
            svg.Append($"<text x=\"{F(x + 14)}\" y=\"35\" font-size=\"11\" fill=\"#1c2430\" {Font}>{Esc(s.Name)}</text>");
            x += 24 + s.Name.Length * 6.5;
        }
    }

    private static string End(StringBuilder svg) => svg.Append("</svg>").ToString();

    /// <summary>A round top for the axis and its tick step (1, 2 or 5 × 10^k, about five ticks).</summary>
    private static (double Top, double Step) Scale(double max)
    {
        if (max <= 0) return (1, 1);
        var raw = max / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        step = Math.Max(step, 1);
        return (Math.Ceiling(max / step) * step, step);
    }

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
    private static string N(double v) => v.ToString("#,0", Vietnamese);
    private static string Esc(string text) => WebUtility.HtmlEncode(text);
}
