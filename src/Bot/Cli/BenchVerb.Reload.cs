using System.Diagnostics;
using Knowledge;

namespace Bot.Cli;

public sealed partial class BenchVerb
{
    /// <summary>Time from writing an edited FAQ file to LiveKnowledgeBase answering with the new text.</summary>
    private async Task RunReloadAsync(VerbArguments arguments, TextWriter output)
    {
        var root = Directory.CreateTempSubdirectory("kb-reload-").FullName;
        var entries = arguments.Int("--entries", 300);
        var rounds = arguments.Int("--rounds", 20);
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "faq"));
            var file = Path.Combine(root, "faq", "bench.yaml");
            await File.WriteAllTextAsync(file, FaqYaml(entries, "bản đầu"));
            using var live = new LiveKnowledgeBase(root);
            var timings = new List<double>();
            for (var round = 1; round <= rounds; round++)
            {
                var marker = $"phiên bản {round}";
                var start = Stopwatch.GetTimestamp();
                await File.WriteAllTextAsync(file, FaqYaml(entries, marker));
                while (live.Ask("quên mật khẩu dịch vụ số 7").Text?.Contains(marker) != true)
                {
                    if (Stopwatch.GetElapsedTime(start).TotalSeconds > 5) throw new TimeoutException("the edit was not picked up within 5 s");
                    Thread.Sleep(1);
                }
                timings.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                await Task.Delay(100);
            }
            timings.Sort();
            await output.WriteLineAsync($"LiveKnowledgeBase reload: {entries} entries in one file, {rounds} edits (target <= 200 ms)");
            await WriteTableAsync(output, ["write → new answer", "p50 ms", "max ms"],
                [["edit one entry", Percentile(timings, 0.5).ToString("0.0"), timings[^1].ToString("0.0")]]);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string FaqYaml(int entries, string marker)
    {
        var text = new System.Text.StringBuilder("topic: bench\ntitle: Thử tải lại\nentries:\n");
        for (var i = 0; i < entries; i++)
            text.Append($"  - id: bench-{i}\n    question: Quên mật khẩu dịch vụ số {i} thì làm sao?\n    answer: Trả lời số {i}, {(i == 7 ? marker : "không đổi")}.\n");
        return text.ToString();
    }
}
