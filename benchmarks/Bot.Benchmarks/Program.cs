using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Bot;
using Bot.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

// Drives the Telegram webhook with many residents at once against the fake Bot API server and prints
// sustained updates/s and latency from webhook POST to reply sent. Each resident waits for its reply
// before asking again, as a person does.
//   dotnet run -c Release --project benchmarks/Bot.Benchmarks -- [--provider Sqlite|Postgres] [--connection CS]
//       [--residents 200] [--updates 20000] [--warmup 4000]
// The warm-up lets the runtime finish tiering the hot code up; only what follows it is measured.
// The broadcast benchmark is the mode "broadcast" (see BroadcastBenchmark.cs).
if (args.FirstOrDefault() == "broadcast")
{
    await BroadcastBenchmark.RunAsync(Args.Parse(args[1..]));
    return;
}

var options = Args.Parse(args);
var provider = options.Get("provider", "Sqlite");
var residents = int.Parse(options.Get("residents", "200"));
var total = int.Parse(options.Get("updates", "20000"));
var warmup = int.Parse(options.Get("warmup", "4000"));
var folder = Directory.CreateTempSubdirectory("bot-bench-").FullName;
var connection = options.Get("connection", provider == "Sqlite"
    ? $"Data Source={Path.Combine(folder, "bench.db")}"
    : Environment.GetEnvironmentVariable("BOT_TEST_POSTGRES") ?? throw new ArgumentException("--connection or BOT_TEST_POSTGRES is needed for Postgres"));

await using var telegram = await FakeTelegramServer.StartAsync();
telegram.KeepCalls = false;
var waiting = new ConcurrentDictionary<long, TaskCompletionSource>();
telegram.OnCall = call =>
{
    if (call.Method == "sendMessage" && call.ChatId is { } chat && waiting.TryRemove(chat, out var done)) done.TrySetResult();
};

const string secret = "bench_secret";
await using var app = await BotApp.BuildAsync([
    "--urls=http://127.0.0.1:0", $"--Database:Provider={provider}", $"--ConnectionStrings:Bot={connection}",
    "--Telegram:Mode=Webhook", $"--Telegram:BotToken={telegram.Token}", $"--Telegram:ApiBaseUrl={telegram.BaseUrl}",
    "--Telegram:PublicUrl=https://bench.invalid", $"--Telegram:WebhookSecret={secret}",
    "--Telegram:MaxMessagesPerSecond=1000000", "--Conversation:MaxMessagesPerMinute=100000",
    "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
]);
await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = residents * 2 }) { BaseAddress = new Uri(address) };

string[] questions =
[
    "quên mật khẩu vneid thì làm sao", "cach dang ky khai sinh online", "có người gọi xưng công an bắt chuyển tiền",
    "chuyển khoản nhầm số tài khoản phải làm gì", "ko nhan dc ma otp vneid", "đăng ký tạm trú trên mạng thế nào",
    "bình dân học vụ số là gì", "quet ma qr thanh toan tien dien", "tài khoản định danh mức 2 làm ở đâu", "giá vàng hôm nay",
];
long nextUpdate = 0;
var latencies = new ConcurrentBag<double>();
var remaining = warmup + total;
var measuredSince = 0L;

async Task Resident(long chatId)
{
    var n = 0;
    while (Interlocked.Decrement(ref remaining) is var left && left >= 0)
    {
        if (left == total - 1) Interlocked.Exchange(ref measuredSince, Stopwatch.GetTimestamp());
        var update = new JsonObject
        {
            ["update_id"] = Interlocked.Increment(ref nextUpdate),
            ["message"] = new JsonObject
            {
                ["message_id"] = ++n, ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["from"] = new JsonObject { ["id"] = chatId, ["is_bot"] = false, ["first_name"] = "Dân" },
                ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "private", ["first_name"] = "Dân" },
                ["text"] = questions[(chatId + n) % questions.Length],
            },
        };
        var replied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        waiting[chatId] = replied;
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram")
        {
            Content = new StringContent(update.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        using (var response = await http.SendAsync(request)) response.EnsureSuccessStatusCode();
        await replied.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (left < total) latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}

Console.WriteLine($"Telegram webhook benchmark: {provider}, {residents} residents at once, {total} updates after {warmup} warm-up, {Environment.ProcessorCount} cores");
await Task.WhenAll(Enumerable.Range(1, residents).Select(i => Resident(10_000 + i)));
var measured = Stopwatch.GetElapsedTime(measuredSince);

var sorted = latencies.OrderBy(x => x).ToArray();
double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
Console.WriteLine($"updates/s sustained   {total / measured.TotalSeconds:F0}");
Console.WriteLine($"latency p50           {P(0.50):F1} ms");
Console.WriteLine($"latency p90           {P(0.90):F1} ms");
Console.WriteLine($"latency p99           {P(0.99):F1} ms");
Console.WriteLine($"latency max           {sorted[^1]:F1} ms");
Console.WriteLine($"working set           {Environment.WorkingSet / 1024 / 1024} MB");
await app.StopAsync();
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
try { Directory.Delete(folder, true); } catch (IOException) { }

sealed record Args(Dictionary<string, string> Values)
{
    public static Args Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2) values[args[i].TrimStart('-')] = args[i + 1];
        return new Args(values);
    }

    public string Get(string name, string fallback) => Values.GetValueOrDefault(name, fallback);
}
