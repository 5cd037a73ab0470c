using System.Diagnostics;
using Bot.Admin.Analytics;
using Bot.Storage;
using Bot.Storage.Migrations;
using Microsoft.Data.Sqlite;

namespace Bot.Cli;

public sealed partial class BenchVerb
{
    private static readonly string[] BenchChannels = ["zalo", "zalo-bot", "telegram", "web"];
    private static readonly string[] BenchTopics = ["vneid", "dich-vu-cong", "thanh-toan", "an-toan-mang", "chuong-trinh"];

    /// <summary>
    /// `bench analytics [--turns 1000000] [--residents 50000] [--runs 5] [--keep]`: seeds a year of a large commune's traffic into a
    /// fresh SQLite file (the schema of `migrate`) and prints each dashboard query's time over a year and over a month;
    /// --keep leaves the file for a closer look.
    /// </summary>
    private static async Task RunAnalyticsAsync(VerbArguments arguments, TextWriter output)
    {
        var turns = arguments.Int("--turns", 1_000_000);
        var residents = arguments.Int("--residents", 50_000);
        var runs = arguments.Int("--runs", 5);
        var keep = arguments.Has("--keep");
        var folder = Directory.CreateTempSubdirectory("bench-analytics-").FullName;
        var file = Path.Combine(folder, "bot.db");
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Sqlite", ["ConnectionStrings:Bot"] = $"Data Source={file}",
            }).Build();
            await using var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddBotStorage().AddScoped<AnalyticsQueries>().BuildServiceProvider();
            await using (var scope = services.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<SchemaMigrator>().MigrateAsync();

            var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7));
            var year = new Period(today.AddDays(-364), today);
            var seeding = Stopwatch.StartNew();
            var counts = await SeedAnalyticsAsync(file, year, turns, residents);
            await output.WriteLineAsync($"Seeded {counts} into {file} in {seeding.Elapsed.TotalSeconds:0.0} s " +
                                        $"({new FileInfo(file).Length / 1024 / 1024} MB); load average {LoadAverage()}");

            var month = new Period(today.AddDays(-29), today);
            var rows = new List<string[]>();
            foreach (var (name, period) in new[] { ("year", year), ("30 days", month) })
            {
                await using var scope = services.CreateAsyncScope();
                var queries = scope.ServiceProvider.GetRequiredService<AnalyticsQueries>();
                var daily = await queries.DailyAsync(period, CancellationToken.None);
                var broadcasts = await queries.BroadcastsAsync(period, CancellationToken.None);
                var measured = new (string Query, Func<Task> Run)[]
                {
                    ("per day and channel: questions, answered, handed over, rated", () => queries.DailyAsync(period, CancellationToken.None)),
                    ("totals (served, resolved, subscribers, reached)", () => queries.TotalsAsync(period, daily, broadcasts, CancellationToken.None)),
                    ("entries: top, by topic, feedback", () => queries.EntriesAsync(period, CancellationToken.None)),
                    ("most often unanswered (grouped)", () => queries.UnansweredAsync(period, CancellationToken.None)),
                    ("subscribers by channel over time", () => queries.SubscribersAsync(period, CancellationToken.None)),
                    ("subscribers by topic and channel", () => queries.SubscribersByTopicAsync(CancellationToken.None)),
                    ("broadcast reach", () => queries.BroadcastsAsync(period, CancellationToken.None)),
                    ("whole dashboard (all of the above)", () => queries.ComputeAsync(period, CancellationToken.None)),
                };
                foreach (var (query, run) in measured)
                {
                    await run(); // warm: EF Core compiles the query, SQLite reads the pages
                    var timings = new List<double>();
                    for (var i = 0; i < runs; i++)
                    {
                        var start = Stopwatch.GetTimestamp();
                        await run();
                        timings.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    }
                    timings.Sort();
                    rows.Add([$"{query}, {name}", Percentile(timings, 0.5).ToString("0"), timings[^1].ToString("0")]);
                }
            }
            await output.WriteLineAsync($"Dashboard queries on SQLite, {runs} runs each after one warm-up (goal: each chart < 1,000 ms)");
            await WriteTableAsync(output, ["query, period", "median ms", "max ms"], rows);
            await output.WriteLineAsync($"load average after: {LoadAverage()}");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (keep) await output.WriteLineAsync($"kept {file}");
            else Directory.Delete(folder, recursive: true);
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>
    /// Residents on every channel (60 % subscribed, some to chosen topics), turns spread over the year in the daytime
    /// (80 % answered from 300 entries, 15 % handed over, 5 % rated), a handover per handed-over turn, and a broadcast
    /// each week to every subscriber.
    /// </summary>
    private static async Task<string> SeedAnalyticsAsync(string file, Period year, int turns, int residents)
    {
        var random = new Random(20261202);
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await Execute(connection, null, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;");
        object At(DateTimeOffset at) => StoredTimestamps.For(DatabaseProvider.Sqlite, at);
        DateTimeOffset RandomTime() => year.Start.AddDays(random.Next(year.Days)).AddHours(random.NextDouble() < 0.9 ? 6 + random.NextDouble() * 15 : random.NextDouble() * 24);

        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync())
        {
            foreach (var topic in BenchTopics)
                await Execute(connection, transaction, "INSERT OR IGNORE INTO faq_topics (id, title, position) VALUES (@id, @id, 0)", ("@id", topic));
            for (var i = 0; i < 300; i++)
                await Execute(connection, transaction, "INSERT OR IGNORE INTO faq_entries (id, topic, content, retired, needs_review, version, updated_at, updated_by) " +
                                          "VALUES (@id, @topic, '{}', 0, 0, 1, 0, 'bench')", ("@id", $"bench-{i}"), ("@topic", BenchTopics[i % BenchTopics.Length]));
            await transaction.CommitAsync();
        }

        var subscribed = new List<long>();
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync())
        {
            await using var insert = Prepared(connection, transaction, "INSERT INTO residents (channel, platform_user_id, chat_id, display_name, subscribed, consent_at, topics, blocked, created_at, last_seen_at) " +
                                                          "VALUES (@c, @u, @u, 'Cư dân', @s, @consent, @topics, 0, @at, @at)", "@c", "@u", "@s", "@consent", "@topics", "@at");
            for (var i = 1; i <= residents; i++)
            {
                var isSubscribed = random.NextDouble() < 0.6;
                var at = RandomTime().AddDays(-random.Next(0, 200));
                await Run(insert, BenchChannels[i % BenchChannels.Length], $"bench-{i}", isSubscribed ? 1 : 0, isSubscribed ? At(at) : null,
                    random.NextDouble() < 0.7 ? "" : BenchTopics[random.Next(BenchTopics.Length)], At(at));
                if (isSubscribed) subscribed.Add(i);
            }
            await transaction.CommitAsync();
        }

        var handedOver = 0;
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync())
        {
            await using var insert = Prepared(connection, transaction, "INSERT INTO conversation_log (resident_id, channel, question, faq_id, citation, score, answered, handed_over, feedback, created_at) " +
                                                          "VALUES (@r, @c, @q, @f, NULL, @score, @a, @h, @fb, @at)", "@r", "@c", "@q", "@f", "@score", "@a", "@h", "@fb", "@at");
            await using var handover = Prepared(connection, transaction, "INSERT INTO handovers (turn_id, resident_id, channel, question, status, created_at) " +
                                                            "VALUES (last_insert_rowid(), @r, @c, @q, @s, @at)", "@r", "@c", "@q", "@s", "@at");
            string[] statuses = ["open", "answered", "answered", "closed"];
            for (var i = 0; i < turns; i++)
            {
                var resident = 1 + (long)Math.Floor(Math.Pow(random.NextDouble(), 2) * residents);
                var channel = BenchChannels[resident % BenchChannels.Length];
                var roll = random.NextDouble();
                var answered = roll < 0.8;
                var handed = !answered && roll < 0.95;
                var entry = answered ? $"bench-{(int)Math.Floor(Math.Pow(random.NextDouble(), 3) * 300)}" : null;
                var question = answered ? $"câu hỏi về {entry}" : $"câu hỏi chưa có trả lời số {(int)Math.Floor(Math.Pow(random.NextDouble(), 2) * 2000)}";
                int? feedback = answered && random.NextDouble() < 0.05 ? (random.NextDouble() < 0.8 ? 1 : -1) : null;
                var at = At(RandomTime());
                await Run(insert, resident, channel, question, entry, answered ? 0.9 : 0.2, answered ? 1 : 0, handed ? 1 : 0, feedback, at);
                if (handed)
                {
                    await Run(handover, resident, channel, question, statuses[random.Next(statuses.Length)], at);
                    handedOver++;
                }
            }
            await transaction.CommitAsync();
        }

        var deliveries = 0;
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync())
        {
            await using var broadcast = Prepared(connection, transaction, "INSERT INTO broadcasts (title, text, status, created_by, created_at, send_at, started_at, finished_at) " +
                                                             "VALUES (@t, @t, 'done', 'calendar', @at, @at, @at, @at)", "@t", "@at");
            await using var delivery = Prepared(connection, transaction, "INSERT INTO broadcast_deliveries (broadcast_id, resident_id, channel, chat_id, status, attempts, finished_at) " +
                                                            "VALUES (@b, @r, @c, @r, @s, 1, @at)", "@b", "@r", "@c", "@s", "@at");
            for (var week = 0; week < 52; week++)
            {
                var at = At(year.Start.AddDays(week * 7).AddHours(2));
                await Run(broadcast, $"Tin tuần {week + 1}", at);
                var id = (long)(await new SqliteCommand("SELECT last_insert_rowid()", connection, transaction).ExecuteScalarAsync())!;
                foreach (var resident in subscribed)
                {
                    var roll = random.NextDouble();
                    await Run(delivery, id, resident, BenchChannels[resident % BenchChannels.Length], roll < 0.95 ? "sent" : roll < 0.98 ? "failed" : "blocked", at);
                    deliveries++;
                }
            }
            await transaction.CommitAsync();
        }
        await Execute(connection, null, "ANALYZE;");
        return $"{turns:N0} turns, {residents:N0} residents ({subscribed.Count:N0} subscribed), {handedOver:N0} handovers, 52 broadcasts with {deliveries:N0} deliveries";
    }

    private static async Task Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string, object?)[] parameters)
    {
        await using var command = DbCommands.Command(connection, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    private static SqliteCommand Prepared(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }

    private static async Task Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        await command.ExecuteNonQueryAsync();
    }
}
