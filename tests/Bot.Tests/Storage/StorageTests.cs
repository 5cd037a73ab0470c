using System.Data.Common;
using Bot.Storage;
using Bot.Storage.Migrations;
using Bot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Bot.Tests.Storage;

public sealed class StorageTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers();

    [Theory, MemberData(nameof(Providers))]
    public async Task Migrating_a_new_database_creates_the_latest_schema_and_is_idempotent(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var storage = new StorageScope(database);

        var migrator = storage.NewMigrator();
        Assert.Equal(0, await migrator.CurrentVersionAsync());
        var version = await migrator.MigrateAsync();
        Assert.Equal(SchemaHistory.All[^1].Version, version);
        Assert.Equal(version, await storage.NewMigrator().MigrateAsync());

        await using var db = storage.NewContext();
        Assert.Equal(0, await db.Residents.CountAsync());
        Assert.Equal(0, await db.Handovers.CountAsync());
        Assert.Equal(0, await db.AuditEntries.CountAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_retried_update_id_is_refused_per_channel_but_allowed_on_another_channel(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var storage = new StorageScope(database);
        await storage.NewMigrator().MigrateAsync();

        await using (var db = storage.NewContext())
        {
            db.InboundUpdates.Add(Update("telegram", "1001"));
            db.InboundUpdates.Add(Update("zalo-bot", "1001"));
            await db.SaveChangesAsync();
        }
        await using (var db = storage.NewContext())
        {
            db.InboundUpdates.Add(Update("telegram", "1001"));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
        await using (var db = storage.NewContext())
            Assert.Equal(2, await db.InboundUpdates.CountAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Residents_are_unique_per_channel_and_timestamps_round_trip_and_sort(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var storage = new StorageScope(database);
        await storage.NewMigrator().MigrateAsync();
        var consent = new DateTimeOffset(2026, 10, 10, 1, 0, 0, TimeSpan.Zero);

        await using (var db = storage.NewContext())
        {
            db.Residents.Add(NewResident("telegram", "42", consent));
            db.Residents.Add(NewResident("zalo-oa", "42", consent.AddDays(-1)));
            await db.SaveChangesAsync();
        }
        await using (var db = storage.NewContext())
        {
            var ordered = await db.Residents.Where(r => r.ConsentAt > consent.AddDays(-2)).OrderBy(r => r.ConsentAt).ToListAsync();
            Assert.Equal(["zalo-oa", "telegram"], ordered.Select(r => r.Channel));
            Assert.Equal(consent, ordered[1].ConsentAt);
            Assert.Equal("Bà Nguyễn Thị Hoà", ordered[1].DisplayName);

            db.Residents.Add(NewResident("telegram", "42", consent));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Upgrading_a_version_1_database_keeps_its_rows_and_backfills_new_columns(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var storage = new StorageScope(database);
        Assert.Equal(1, await storage.NewMigrator().MigrateAsync(targetVersion: 1));

        var when = new DateTimeOffset(2026, 5, 18, 2, 30, 0, TimeSpan.Zero);
        await using (var db = storage.NewContext())
        {
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            await Execute(connection, provider,
                "INSERT INTO residents (channel, platform_user_id, chat_id, display_name, subscribed, topics, blocked, created_at, last_seen_at) " +
                "VALUES ('telegram', '777', '777', 'Ông Trần Văn Thuỷ', @t, 'vneid', @f, @when, @when)", when);
            await Execute(connection, provider,
                "INSERT INTO conversation_log (resident_id, channel, question, faq_id, score, answered, created_at) " +
                "VALUES (1, 'telegram', 'quen mat khau vneid', 'vneid-quen-mat-khau', 0.9, @t, @when)", when);
            await Execute(connection, provider,
                "INSERT INTO conversation_log (resident_id, channel, question, score, answered, created_at) " +
                "VALUES (1, 'telegram', 'giá vàng hôm nay', 0.1, @f, @when)", when);
        }

        Assert.Equal(SchemaHistory.All[^1].Version, await storage.NewMigrator().MigrateAsync());

        await using (var db = storage.NewContext())
        {
            var resident = await db.Residents.SingleAsync();
            Assert.Equal("Ông Trần Văn Thuỷ", resident.DisplayName);
            Assert.True(resident.Subscribed);
            Assert.Equal(when, resident.CreatedAt);
            var turns = await db.ConversationTurns.OrderBy(t => t.Id).ToListAsync();
            Assert.Equal(2, turns.Count);
            Assert.False(turns[0].HandedOver);
            Assert.True(turns[1].HandedOver);
            Assert.Equal("giá vàng hôm nay", turns[1].Question);

            db.Handovers.Add(new Handover { Channel = "telegram", Question = turns[1].Question, TurnId = turns[1].Id, ResidentId = resident.Id, CreatedAt = when });
            await db.SaveChangesAsync();
            Assert.Equal(1, await db.Handovers.CountAsync(h => h.Status == HandoverStatus.Open));
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Group_commit_returns_each_statement_its_own_result_and_one_failing_statement_spoils_no_other(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var storage = new StorageScope(database);
        await storage.NewMigrator().MigrateAsync();
        var writes = storage.Services.GetRequiredService<GroupCommit>();
        var at = writes.Timestamp(DateTimeOffset.UtcNow);

        // Many statements at once land in shared batches; a second insert of id 7 breaks the unique index.
        var inserts = Enumerable.Range(0, 300).Select(i => writes.ExecuteAsync($"""
            INSERT INTO inbound_updates (channel, update_id, payload, status, attempts, received_at)
            VALUES ('telegram', {(i == 150 ? "7" : i.ToString())}, '', 'pending', 0, {at})
            """)).ToList();
        var turns = Enumerable.Range(0, 20).Select(i => writes.ScalarAsync($"""
            INSERT INTO conversation_log (channel, question, score, answered, handed_over, created_at)
            VALUES ('telegram', {"câu hỏi " + i}, 0.5, {true}, {false}, {at}) RETURNING id
            """)).ToList();

        // On PostgreSQL several writers commit at once, so either insert of id 7 may be the one refused.
        var outcomes = new List<string>();
        foreach (var insert in inserts)
        {
            try { outcomes.Add((await insert).ToString()); }
            catch (DbException e) { outcomes.Add(e.Message.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("duplicate") ? "duplicate" : e.Message); }
        }
        Assert.Equal(299, outcomes.Count(o => o == "1"));
        Assert.Equal("duplicate", Assert.Single(outcomes, o => o != "1"));
        Assert.True(outcomes[7] == "duplicate" || outcomes[150] == "duplicate");
        var ids = await Task.WhenAll(turns);
        Assert.Equal(20, ids.Distinct().Count());

        await using var db = storage.NewContext();
        Assert.Equal(299, await db.InboundUpdates.CountAsync());
        var stored = await db.ConversationTurns.Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Question);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => "câu hỏi " + i), ids.Select(id => stored[id]));
    }

    private static async Task Execute(DbConnection connection, DatabaseProvider provider, string sql, DateTimeOffset when)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        Add(cmd, "@t", provider == DatabaseProvider.Sqlite ? 1 : true);
        Add(cmd, "@f", provider == DatabaseProvider.Sqlite ? 0 : false);
        Add(cmd, "@when", provider == DatabaseProvider.Sqlite ? new DateTimeOffsetToBinaryConverter().ConvertToProvider(when)! : when);
        await cmd.ExecuteNonQueryAsync();
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    private static InboundUpdate Update(string channel, string id) =>
        new() { Channel = channel, UpdateId = id, Payload = "{}", ReceivedAt = DateTimeOffset.UtcNow };

    private static Resident NewResident(string channel, string id, DateTimeOffset consent) => new()
    {
        Channel = channel, PlatformUserId = id, ChatId = id, DisplayName = "Bà Nguyễn Thị Hoà",
        Subscribed = true, ConsentAt = consent, CreatedAt = consent, LastSeenAt = consent,
    };
}
