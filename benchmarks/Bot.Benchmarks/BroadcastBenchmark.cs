using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bot;
using Bot.Broadcasts;
using Bot.Storage;
using Bot.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

// Broadcast delivery against the fake Bot API server:
//  1. uncapped (Telegram:MaxMessagesPerSecond lifted) for each audience size: deliveries/s and peak working set;
//  2. capped: the fake answers 429 above --limit messages/s and the bot is set to the same limit: rate achieved, 429s.
//   dotnet run -c Release --project benchmarks/Bot.Benchmarks -- broadcast [--provider Sqlite|Postgres] [--connection SERVER_CS]
//       [--recipients 10000,100000] [--limit 30] [--limited-recipients 600] [--senders 64]
static class BroadcastBenchmark
{
    private const string ApiKey = "bench-key-0123456789abcdef";

    public static async Task RunAsync(Args options)
    {
        var provider = options.Get("provider", "Sqlite");
        var sizes = options.Get("recipients", "10000,100000").Split(',').Select(int.Parse).ToList();
        var limit = int.Parse(options.Get("limit", "30"));
        var limitedRecipients = int.Parse(options.Get("limited-recipients", "600"));
        var senders = options.Get("senders", "64");
        Console.WriteLine($"Broadcast benchmark: {provider}, {Environment.ProcessorCount} cores, {senders} senders");

        foreach (var size in sizes)
        {
            var run = await RunOnceAsync(options, provider, size, null, senders);
            Console.WriteLine($"uncapped  {size,7} recipients: {run.Delivered} delivered in {run.Elapsed.TotalSeconds:F1} s = {run.Delivered / run.Elapsed.TotalSeconds,6:F0} deliveries/s, " +
                              $"peak working set {run.PeakWorkingSetMb} MB, 429s {run.RateLimited}");
        }
        var capped = await RunOnceAsync(options, provider, limitedRecipients, limit, senders);
        Console.WriteLine($"capped    {limitedRecipients,7} recipients at {limit}/s: {capped.Delivered} delivered, " +
                          $"{capped.Delivered / capped.Elapsed.TotalSeconds:F1} messages/s achieved, 429s received {capped.RateLimited}");
    }

    private sealed record Run(int Delivered, TimeSpan Elapsed, long PeakWorkingSetMb, int RateLimited);

    private static async Task<Run> RunOnceAsync(Args options, string provider, int recipients, int? limit, string senders)
    {
        var folder = Directory.CreateTempSubdirectory("bot-bench-broadcast-").FullName;
        var connection = provider == "Sqlite"
            ? $"Data Source={Path.Combine(folder, "bench.db")}"
            : await CreatePostgresDatabaseAsync(options.Get("connection", Environment.GetEnvironmentVariable("BOT_TEST_POSTGRES")
                ?? throw new ArgumentException("--connection or BOT_TEST_POSTGRES (a server where the benchmark may create databases) is needed for Postgres")));
        await using var telegram = await FakeTelegramServer.StartAsync();
        telegram.KeepCalls = false;
        if (limit is { } perSecond) telegram.EnforceRateLimit(perSecond);
        var delivered = 0;
        long firstTicks = 0, lastTicks = 0;
        telegram.OnCall = call =>
        {
            if (call.Method != "sendMessage" || call.StatusCode != 200) return;
            var now = Stopwatch.GetTimestamp();
            Interlocked.CompareExchange(ref firstTicks, now, 0);
            Volatile.Write(ref lastTicks, now);
            Interlocked.Increment(ref delivered);
        };

        await using var app = await BotApp.BuildAsync([
            "--urls=http://127.0.0.1:0", $"--Database:Provider={provider}", $"--ConnectionStrings:Bot={connection}",
            "--Telegram:Mode=Webhook", $"--Telegram:BotToken={telegram.Token}", $"--Telegram:ApiBaseUrl={telegram.BaseUrl}",
            "--Telegram:PublicUrl=https://bench.invalid", "--Telegram:WebhookSecret=bench_secret",
            $"--Telegram:MaxMessagesPerSecond={limit ?? 1_000_000}", "--Broadcasts:QuietHours=", $"--Broadcasts:Senders={senders}",
            $"--Admin:ApiKeys:0={ApiKey}",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
        ]);
        await SeedAsync(app.Services.GetRequiredService<BroadcastDatabase>(), recipients);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var staff = new HttpClient { BaseAddress = new Uri(address) };
        staff.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);

        GC.Collect();
        long peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, Process.GetCurrentProcess().WorkingSet64);
                await Task.Delay(100);
            }
        });
        var created = await staff.PostAsJsonAsync("/api/admin/broadcasts", new { text = "📱 Ngày Chuyển đổi số quốc gia 10/10: mời bà con đến UBND {commune.name}." });
        var id = (await created.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        while ((await staff.GetFromJsonAsync<JsonObject>($"/api/admin/broadcasts/{id}"))!["status"]!.GetValue<string>() != BroadcastStatus.Done)
            await Task.Delay(50);
        await sampling.CancelAsync();
        await sampler;
        var elapsed = Stopwatch.GetElapsedTime(firstTicks, lastTicks);

        await app.StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (provider != "Sqlite") await DropPostgresDatabaseAsync(connection);
        try { Directory.Delete(folder, true); } catch (IOException) { }
        return new Run(delivered, elapsed, peak / 1024 / 1024, telegram.RateLimitedCount);
    }

    /// <summary>A fresh database per run on the given server; its connection string.</summary>
    private static async Task<string> CreatePostgresDatabaseAsync(string server)
    {
        var name = "bot_bench_" + Guid.NewGuid().ToString("N")[..12];
        await using var admin = new NpgsqlConnection(server);
        await admin.OpenAsync();
        await new NpgsqlCommand($"CREATE DATABASE {name}", admin).ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    private static async Task DropPostgresDatabaseAsync(string connection)
    {
        NpgsqlConnection.ClearAllPools();
        var database = new NpgsqlConnectionStringBuilder(connection).Database;
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connection) { Database = "postgres" }.ConnectionString);
        await admin.OpenAsync();
        await new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin).ExecuteNonQueryAsync();
    }

    /// <summary>count subscribed Telegram residents, written by one INSERT … SELECT over a generated series.</summary>
    private static async Task SeedAsync(BroadcastDatabase database, int count)
    {
        var series = database.IsPostgres
            ? "generate_series(1, @count) AS n(x)"
            : "(WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < @count) SELECT x FROM s) AS n";
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await DbCommands.ExecuteAsync(connection, null, $"""
            INSERT INTO residents (channel, platform_user_id, chat_id, display_name, subscribed, consent_at, topics, blocked, created_at, last_seen_at)
            SELECT 'telegram', CAST(100000000 + x AS TEXT), CAST(100000000 + x AS TEXT), 'Cư dân', {database.True}, @now, '', {database.False}, @now, @now
            FROM {series}
            """, CancellationToken.None, ("@count", count), ("@now", database.Timestamp(DateTimeOffset.UtcNow)));
    }
}
