using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bot;
using Bot.Channels.Telegram;
using Bot.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

// Drives the Telegram webhook against the fake Bot API server (or, with --channel zalo-oa, the Zalo OA webhook with
// signed user_send_text events against the fake OA API) and prints updates/s and latency from webhook POST to reply
// sent, in two runs after a warm-up:
//  - paced: updates arrive at a fixed rate (Poisson arrivals, --rate per second, spread over --residents people)
//    whether or not earlier ones were answered, as Telegram delivers them; latency counts from the moment an
//    update was due, so a stalled bot cannot hide its backlog;
//  - saturated: --concurrent residents each wait for the reply before asking again; the most the bot sustains.
//   dotnet run -c Release --project benchmarks/Bot.Benchmarks -- [--channel telegram|zalo-oa] [--provider Sqlite|Postgres] [--connection CS]
//       [--rate 1500] [--seconds 20] [--residents 1000] [--concurrent 50] [--updates 30000] [--warmup-seconds 45]
// The warm-up (saturated, then 10 s paced at half the rate) lets the runtime finish compiling the hot code at its final tier (with dynamic PGO this takes
// 30-40 s of load on two cores) and registers the residents; a bot runs for days, so only what follows it is measured.
// The broadcast benchmark is the mode "broadcast" (see BroadcastBenchmark.cs).
if (args.FirstOrDefault() == "broadcast")
{
    await BroadcastBenchmark.RunAsync(Args.Parse(args[1..]));
    return;
}

var options = Args.Parse(args);
var zaloOa = options.Get("channel", "telegram") switch
{
    "telegram" => false,
    "zalo-oa" => true,
    var other => throw new ArgumentException($"--channel {other}: telegram or zalo-oa"),
};
var provider = options.Get("provider", "Sqlite");
var rate = double.Parse(options.Get("rate", "1500"));
var seconds = double.Parse(options.Get("seconds", "20"));
var residents = int.Parse(options.Get("residents", "1000"));
var concurrent = int.Parse(options.Get("concurrent", "50"));
var saturatedUpdates = int.Parse(options.Get("updates", "30000"));
var warmup = TimeSpan.FromSeconds(double.Parse(options.Get("warmup-seconds", "45")));
var folder = Directory.CreateTempSubdirectory("bot-bench-").FullName;
var connection = options.Get("connection", provider == "Sqlite"
    ? $"Data Source={Path.Combine(folder, "bench.db")}"
    : Environment.GetEnvironmentVariable("BOT_TEST_POSTGRES") ?? throw new ArgumentException("--connection or BOT_TEST_POSTGRES is needed for Postgres"));

await using var telegram = await FakeTelegramServer.StartAsync();
await using var oa = await FakeZaloOaServer.StartAsync();
telegram.KeepCalls = false;
oa.KeepCalls = false;
// Replies of one chat arrive in the order its updates were sent; each text update gets exactly one reply.
var waiting = new ConcurrentDictionary<long, ConcurrentQueue<Pending>>();
void Replied(long chat)
{
    if (waiting.TryGetValue(chat, out var queue) && queue.TryDequeue(out var pending)) pending.Replied.TrySetResult(Stopwatch.GetTimestamp());
}
telegram.OnCall = call =>
{
    if (call.Method == "sendMessage" && call.ChatId is { } chat) Replied(chat);
};
oa.OnCall = call =>
{
    if (call.Error == 0 && long.TryParse(call.UserId, out var chat)) Replied(chat);
};

const string secret = "bench_secret";
string[] channelArgs = zaloOa
    ? [.. oa.BotArgs, "--ZaloOa:MaxMessagesPerSecond=1000000"]
    : ["--Telegram:Mode=Webhook", $"--Telegram:BotToken={telegram.Token}", $"--Telegram:ApiBaseUrl={telegram.BaseUrl}",
       "--Telegram:PublicUrl=https://bench.invalid", $"--Telegram:WebhookSecret={secret}", "--Telegram:MaxMessagesPerSecond=1000000"];
await using var app = await BotApp.BuildAsync([
    "--urls=http://127.0.0.1:0", $"--Database:Provider={provider}", $"--ConnectionStrings:Bot={connection}", .. channelArgs,
    "--Conversation:MaxMessagesPerMinute=10000",
    "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
]);
await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
// Telegram delivers a bot's updates over at most setWebhook's max_connections (Telegram:WebhookMaxConnections) at
// once; Zalo documents no such limit and gets the same. More would only measure the cost of opening connections.
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = new TelegramOptions().WebhookMaxConnections }) { BaseAddress = new Uri(address) };

string[] questions =
[
    "quên mật khẩu vneid thì làm sao", "cach dang ky khai sinh online", "có người gọi xưng công an bắt chuyển tiền",
    "chuyển khoản nhầm số tài khoản phải làm gì", "ko nhan dc ma otp vneid", "đăng ký tạm trú trên mạng thế nào",
    "bình dân học vụ số là gì", "quet ma qr thanh toan tien dien", "tài khoản định danh mức 2 làm ở đâu", "giá vàng hôm nay",
];
long nextUpdate = 0;
var probe = new RuntimeProbe();
var sentByChat = new ConcurrentDictionary<long, int>();

// Sends one text update from chatId and returns when its reply was sent, with the latency from dueAt.
async Task<double> AskAsync(long chatId, long dueAt)
{
    var n = sentByChat.AddOrUpdate(chatId, 1, (_, v) => v + 1);
    var pending = new Pending(new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
    waiting.GetOrAdd(chatId, _ => new ConcurrentQueue<Pending>()).Enqueue(pending);
    using var request = zaloOa ? OaEvent(chatId, n) : TelegramUpdate(chatId, n);
    using (var response = await http.SendAsync(request)) response.EnsureSuccessStatusCode();
    var repliedAt = await pending.Replied.Task.WaitAsync(TimeSpan.FromSeconds(60));
    return Stopwatch.GetElapsedTime(dueAt, repliedAt).TotalMilliseconds;
}

HttpRequestMessage TelegramUpdate(long chatId, int n)
{
    var update = new JsonObject
    {
        ["update_id"] = Interlocked.Increment(ref nextUpdate),
        ["message"] = new JsonObject
        {
            ["message_id"] = n, ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["from"] = new JsonObject { ["id"] = chatId, ["is_bot"] = false, ["first_name"] = "Dân" },
            ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "private", ["first_name"] = "Dân" },
            ["text"] = questions[(chatId + n) % questions.Length],
        },
    };
    var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram")
    {
        Content = new StringContent(update.ToJsonString(), Encoding.UTF8, "application/json"),
    };
    request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
    return request;
}

// A user_send_text event as Zalo posts it, signed: X-ZEvent-Signature = mac= SHA-256(app id + body + timestamp + OA secret key).
HttpRequestMessage OaEvent(long chatId, int n)
{
    var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString();
    var body = new JsonObject
    {
        ["app_id"] = FakeZaloOaServer.AppId, ["oa_id"] = "3662729599332560487", ["event_name"] = "user_send_text", ["timestamp"] = timestamp,
        ["sender"] = new JsonObject { ["id"] = chatId.ToString() }, ["recipient"] = new JsonObject { ["id"] = "3662729599332560487" },
        ["message"] = new JsonObject { ["msg_id"] = $"bench-{chatId}-{n}", ["text"] = questions[(chatId + n) % questions.Length] },
    }.ToJsonString();
    var mac = SHA256.HashData(Encoding.UTF8.GetBytes(FakeZaloOaServer.AppId + body + timestamp + FakeZaloOaServer.OaSecretKey));
    var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/zalo-oa") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    request.Headers.Add("X-ZEvent-Signature", "mac=" + Convert.ToHexStringLower(mac));
    return request;
}

long ChatOf(int resident) => 2_000_000 + resident % residents;

// Closed loop: `people` residents at a time ask, wait for the reply and ask again, until `count` updates were answered;
// the askers take turns over the same population of `residents` the paced run uses.
async Task<(double PerSecond, double[] Latencies, double CpuMsPerUpdate)> SaturateAsync(int people, int count, TimeSpan? forAtMost = null)
{
    var latencies = new ConcurrentBag<double>();
    var remaining = count;
    var started = Stopwatch.GetTimestamp();
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    await Task.WhenAll(Enumerable.Range(0, people).Select(async i =>
    {
        for (var turn = 0; Interlocked.Decrement(ref remaining) >= 0 && (forAtMost is null || Stopwatch.GetElapsedTime(started) < forAtMost); turn++)
            latencies.Add(await AskAsync(ChatOf(i + people * turn), Stopwatch.GetTimestamp()));
    }));
    var elapsed = Stopwatch.GetElapsedTime(started);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
    return (latencies.Count / elapsed.TotalSeconds, [.. latencies.Order()], cpu.TotalMilliseconds / latencies.Count);
}

// Open loop: Poisson arrivals at `perSecond` for `duration`, each from a resident chosen at random.
async Task<(double PerSecond, double[] Latencies, double CpuMsPerUpdate)> PaceAsync(double perSecond, TimeSpan duration, int people)
{
    var random = new Random(57);
    var asks = new List<Task<double>>();
    var started = Stopwatch.GetTimestamp();
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var due = 0.0;
    while (due < duration.TotalSeconds)
    {
        var dueAt = started + (long)(due * Stopwatch.Frequency);
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), dueAt);
        if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
        asks.Add(AskAsync(ChatOf(random.Next(people)), dueAt));
        due += -Math.Log(1 - random.NextDouble()) / perSecond;
    }
    var latencies = await Task.WhenAll(asks);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
    return (asks.Count / Stopwatch.GetElapsedTime(started).TotalSeconds, [.. latencies.Order()], cpu.TotalMilliseconds / asks.Count);
}

var jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount();
var jitTime = System.Runtime.JitInfo.GetCompilationTime();
var gcCount = GC.CollectionCount(0);
var gcPause = GC.GetTotalPauseDuration();
void Print(string title, (double PerSecond, double[] Latencies, double CpuMsPerUpdate) run)
{
    var sorted = run.Latencies;
    double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
    Console.WriteLine(title);
    Console.WriteLine($"  updates answered      {sorted.Length}");
    Console.WriteLine($"  updates/s sustained   {run.PerSecond:F0}");
    Console.WriteLine($"  latency p50           {P(0.50):F1} ms");
    Console.WriteLine($"  latency p90           {P(0.90):F1} ms");
    Console.WriteLine($"  latency p99           {P(0.99):F1} ms");
    Console.WriteLine($"  latency max           {sorted[^1]:F1} ms");
    Console.WriteLine($"  CPU per update        {run.CpuMsPerUpdate:F2} ms (whole process: bot, load generator and fake platform API)");
    Console.WriteLine($"  JIT                   {System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethods} methods, {(System.Runtime.JitInfo.GetCompilationTime() - jitTime).TotalMilliseconds:F0} ms; gen0 GCs {GC.CollectionCount(0) - gcCount}, paused {(GC.GetTotalPauseDuration() - gcPause).TotalMilliseconds:F0} ms");
    Console.WriteLine($"  runtime               {probe.Report()}");
    StartCounting();
}

// What the runtime did (JIT, GC, the probe's samples) is counted from here to the next Print.
void StartCounting()
{
    jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount();
    jitTime = System.Runtime.JitInfo.GetCompilationTime();
    gcCount = GC.CollectionCount(0);
    gcPause = GC.GetTotalPauseDuration();
    probe.Reset();
}

Console.WriteLine($"{(zaloOa ? "Zalo OA" : "Telegram")} webhook benchmark: {provider}, {Environment.ProcessorCount} cores; warming up for {warmup.TotalSeconds:F0} s");
Console.WriteLine($"machine reference       {MachineReferenceMs():F0} ms for SHA-256 of 256 MB on one thread (compare runs of other days by it)");
await SaturateAsync(concurrent, int.MaxValue, warmup);
// The open loop takes other paths (timers, many connections at once): compiled now, at half the rate, not while measured.
await PaceAsync(rate / 2, TimeSpan.FromSeconds(10), residents);
StartCounting();
Print($"Paced: {rate:F0} updates/s for {seconds:F0} s from {residents} residents (Poisson arrivals)",
    await PaceAsync(rate, TimeSpan.FromSeconds(seconds), residents));
Print($"Saturated: {concurrent} residents at once, each waiting for its reply, {saturatedUpdates} updates",
    await SaturateAsync(concurrent, saturatedUpdates));
Console.WriteLine($"working set             {Environment.WorkingSet / 1024 / 1024} MB");
await app.StopAsync();
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
try { Directory.Delete(folder, true); } catch (IOException) { }

// A fixed single-threaded workload: the same code on a slower or busier machine shows it here first.
static double MachineReferenceMs()
{
    var block = new byte[1 << 20];
    Span<byte> hash = stackalloc byte[32];
    SHA256.HashData(block, hash);
    var started = Stopwatch.GetTimestamp();
    for (var i = 0; i < 256; i++) SHA256.HashData(block, hash);
    return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}

// Every 10 ms, from a thread of its own, queues one work item on the thread pool and notes how long it waited to run
// (a stall of the pool: all threads blocked, or a GC), and the most methods the JIT compiled in any half second (the
// runtime promoting a batch of hot methods to optimised code at once, which can hold up the two cores for a moment).
sealed class RuntimeProbe
{
    readonly object gate = new();
    readonly List<double> waits = [];
    readonly Queue<long> jitCounts = new();
    int threadsAtStart = ThreadPool.ThreadCount, maxThreads = ThreadPool.ThreadCount;
    long jitBurst;

    public RuntimeProbe() => new Thread(Run) { IsBackground = true, Name = "runtime probe" }.Start();

    void Run()
    {
        while (true)
        {
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            lock (gate)
            {
                jitCounts.Enqueue(compiled);
                if (jitCounts.Count > 50) jitCounts.Dequeue();
                jitBurst = Math.Max(jitBurst, compiled - jitCounts.Peek());
            }
            var queued = Stopwatch.GetTimestamp();
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                var waited = Stopwatch.GetElapsedTime(queued).TotalMilliseconds;
                lock (gate) { waits.Add(waited); maxThreads = Math.Max(maxThreads, ThreadPool.ThreadCount); }
            }, null);
            Thread.Sleep(10);
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            waits.Clear();
            jitCounts.Clear();
            jitBurst = 0;
            threadsAtStart = maxThreads = ThreadPool.ThreadCount;
        }
    }

    public string Report()
    {
        lock (gate)
        {
            var sorted = waits.Order().ToArray();
            return sorted.Length == 0 ? "no samples"
                : $"thread pool queue wait p99 {sorted[(int)(0.99 * sorted.Length)]:F1} ms, max {sorted[^1]:F1} ms; threads {threadsAtStart} → max {maxThreads}; JIT burst {jitBurst} methods in 0.5 s";
        }
    }
}

sealed record Pending(TaskCompletionSource<long> Replied);

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
