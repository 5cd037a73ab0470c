namespace Bot.Cli;

/// <summary>
/// `bench latency [--kb DIR] | reload | analytics [--turns N] | vicov19qa [--data DIR] [--split val|test|train] [--rerank]` (val unless asked): benchmarks of the knowledge engine and the dashboard,
/// printed as plain tables (never run as timed tests).
/// </summary>
public sealed partial class BenchVerb : ICliVerb
{
    public string Name => "bench";
    public string Summary => "Đo hiệu năng và chất lượng tìm kiếm: bench latency | reload | analytics | vicov19qa [--data DIR]";

    public async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        var arguments = new VerbArguments(args.Skip(1).ToArray(), "--all-splits", "--rerank", "--keep");
        switch (args.FirstOrDefault())
        {
            case "latency":
                await RunLatencyAsync(arguments, output);
                return 0;
            case "reload":
                await RunReloadAsync(arguments, output);
                return 0;
            case "analytics":
                await RunAnalyticsAsync(arguments, output);
                return 0;
            case "vicov19qa":
                return await RunViCoV19Async(arguments, output, error);
            default:
                await error.WriteLineAsync("usage: bench latency | reload | analytics [--turns N] | vicov19qa [--data DIR] [--split val|test|train] [--rerank]");
                return 2;
        }
    }

    private static async Task WriteTableAsync(TextWriter output, string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        var widths = header.Select((_, c) => all.Max(r => r[c].Length)).ToArray();
        foreach (var row in all)
            await output.WriteLineAsync(string.Join("  ", row.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))));
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
