using System.Diagnostics;
using System.Text;
using Knowledge;
using Knowledge.Ranking;

namespace Bot.Cli;

public sealed partial class BenchVerb
{
    private static async Task RunLatencyAsync(VerbArguments arguments, TextWriter output)
    {
        var rows = new List<string[]>();
        var text = new GeneratedText(seed: 42);
        var faqCount = arguments.Int("--faq", 2000);
        var chunkCount = arguments.Int("--chunks", 100_000);

        // The shipped answer model (data/answer-model.zip, or --kb's) re-ranks and weighs the candidates, as in production.
        var modelRoot = KnowledgeOptions.FindRoot(arguments.Value("--kb"));
        var model = AnswerModelFile.Load(modelRoot);
        await output.WriteLineAsync($"answer model {model.Status} ({modelRoot})");
        var topic = text.Topic(faqCount);
        rows.Add(LatencyRow($"{faqCount:N0} FAQ entries", Measure(() => KnowledgeBase.Create([topic], [], model: model)), text));
        topic = null;
        var document = text.Document(chunkCount);
        rows.Add(LatencyRow($"{chunkCount:N0} document chunks", Measure(() => KnowledgeBase.Create([], [document], model: model)), text));

        await output.WriteLineAsync($"query latency, one thread, {Environment.ProcessorCount} cores on the machine, server GC {System.Runtime.GCSettings.IsServerGC}");
        await WriteTableAsync(output, ["index", "build ms", "index MB", "managed MB", "working set MB", "p50 ms", "p99 ms", "max ms"], rows);
        await output.WriteLineAsync("index MB = managed memory added by building the index (the source texts excluded)");
        await output.WriteLineAsync("targets: p99 <= 1 ms at 2,000 entries, <= 10 ms at 100,000 chunks; build 100,000 chunks <= 10 s; <= 300 MB");
    }

    private static (KnowledgeBase Base, double BuildMs, double IndexMb, double ManagedMb, double WorkingSetMb) Measure(Func<KnowledgeBase> build)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;
        var watch = Stopwatch.StartNew();
        var knowledgeBase = build();
        var buildMs = watch.Elapsed.TotalMilliseconds;
        // Aggressive collection also gives the build's garbage back to the OS, so the working set is the steady state.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var managed = GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;
        using var process = Process.GetCurrentProcess();
        return (knowledgeBase, buildMs, managed - before, managed, process.WorkingSet64 / 1048576.0);
    }

    private static string[] LatencyRow(string label, (KnowledgeBase Base, double BuildMs, double IndexMb, double ManagedMb, double WorkingSetMb) measured, GeneratedText text)
    {
        var queries = Enumerable.Range(0, 5000).Select(_ => text.Question()).ToList();
        foreach (var query in queries.Take(1000)) measured.Base.Ask(query, 10);
        var timings = new List<double>(queries.Count);
        foreach (var query in queries)
        {
            var start = Stopwatch.GetTimestamp();
            measured.Base.Ask(query, 10);
            timings.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        timings.Sort();
        return [label, measured.BuildMs.ToString("0"), measured.IndexMb.ToString("0"), measured.ManagedMb.ToString("0"),
            measured.WorkingSetMb.ToString("0"), Percentile(timings, 0.5).ToString("0.000"),
            Percentile(timings, 0.99).ToString("0.000"), timings[^1].ToString("0.000")];
    }

    /// <summary>Deterministic Vietnamese-looking text: syllables from real onsets, rhymes and tones, Zipf-distributed words.</summary>
    private sealed class GeneratedText
    {
        private static readonly string[] Onsets = ["", "b", "c", "ch", "d", "đ", "g", "gi", "h", "k", "kh", "l", "m", "n", "ng", "nh", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"];
        private static readonly string[] Rhymes = ["a", "ai", "an", "ang", "anh", "ao", "at", "ay", "âm", "ân", "âu", "ây", "e", "em", "en", "eo", "ê", "ên", "ênh", "i", "ia", "iên", "inh", "o", "oa", "oai", "oan", "ong", "ô", "ôi", "ông", "ơ", "ơi", "ơn", "u", "ua", "ui", "un", "ung", "uô", "uôn", "uy", "ư", "ưa", "ươi", "ương", "ức"];
        private static readonly string[] Tones = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"];

        private readonly Random _random;
        private readonly string[] _words;
        private readonly double[] _cumulative;

        public GeneratedText(int seed)
        {
            _random = new Random(seed);
            var words = new HashSet<string>();
            while (words.Count < 20_000)
            {
                var syllables = _random.Next(10) < 7 ? 2 : 1;
                words.Add(string.Join(' ', Enumerable.Range(0, syllables).Select(_ => Syllable())));
            }
            _words = words.ToArray();
            _cumulative = new double[_words.Length];
            double sum = 0;
            for (var i = 0; i < _words.Length; i++) _cumulative[i] = sum += 1.0 / (i + 10);
            for (var i = 0; i < _words.Length; i++) _cumulative[i] /= sum;
        }

        private string Syllable() =>
            (Onsets[_random.Next(Onsets.Length)] + Rhymes[_random.Next(Rhymes.Length)] + Tones[_random.Next(Tones.Length)])
                .Normalize(NormalizationForm.FormC);

        private string Word()
        {
            var index = Array.BinarySearch(_cumulative, _random.NextDouble());
            return _words[index < 0 ? Math.Min(~index, _words.Length - 1) : index];
        }

        public string Sentence(int minWords, int maxWords)
        {
            var count = _random.Next(minWords, maxWords + 1);
            var text = string.Join(' ', Enumerable.Range(0, count).Select(_ => Word()));
            return char.ToUpperInvariant(text[0]) + text[1..] + ".";
        }

        public string Question() => Sentence(3, 9)[..^1] + "?";

        public FaqTopic Topic(int entries) => new("bench", "Chủ đề thử", Enumerable.Range(0, entries).Select(i => new FaqEntry(
            $"entry-{i}", "bench", Question(), [Question(), Question()], Sentence(30, 80), [Word(), Word()], [], null)).ToList());

        public KnowledgeDocument Document(int chunks)
        {
            var info = new DocumentInfo("bench.txt", "Kế hoạch", "1/KH-UBND", "01/01/2026", "UBND xã Thử", "Thử");
            return new KnowledgeDocument(info, Enumerable.Range(0, chunks).Select(i =>
                new DocumentChunk("bench.txt", $"{i % 5 + 1}.{i % 7 + 1}", [Sentence(3, 8)], Sentence(15, 35) + " " + Sentence(15, 35), info.Citation)).ToList());
        }
    }
}
