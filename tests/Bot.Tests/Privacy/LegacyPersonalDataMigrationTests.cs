using Bot.Storage;
using Bot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bot.Tests.Privacy;

public sealed class LegacyPersonalDataMigrationTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers();

    [Theory, MemberData(nameof(Providers))]
    public async Task Upgrading_empties_failed_updates_and_replaces_client_chosen_web_session_ids(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var storage = new StorageScope(database);
        // The schema just before the clean-up step; rows written as an earlier version did (plain SQL: today's model has later columns).
        await storage.NewMigrator().MigrateAsync(targetVersion: 7);
        var now = DateTimeOffset.UtcNow;
        await using (var db = storage.NewContext())
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO inbound_updates (channel, update_id, payload, status, received_at)
                VALUES ('telegram', '1', {"{\"text\":\"CCCD 001203004567\"}"}, {InboundUpdateStatus.Failed}, {now}),
                       ('telegram', '2', {"{\"text\":\"hỏi\"}"}, {InboundUpdateStatus.Pending}, {now})
                """);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO residents (channel, platform_user_id, chat_id, created_at, last_seen_at)
                VALUES ('web', '0912345678', '0912345678', {now}, {now}), ('telegram', '777', '777', {now}, {now})
                """);
        }
        await storage.NewMigrator().MigrateAsync();

        await using var check = storage.NewContext();
        Assert.Equal(["", "{\"text\":\"hỏi\"}"], await check.InboundUpdates.OrderBy(u => u.UpdateId).Select(u => u.Payload).ToListAsync());
        var residents = await check.Residents.OrderBy(r => r.Id).Select(r => new { r.PlatformUserId, r.ChatId }).ToListAsync();
        Assert.StartsWith("legacy-", residents[0].PlatformUserId);
        Assert.Equal(residents[0].PlatformUserId, residents[0].ChatId);
        Assert.Equal("777", residents[1].PlatformUserId);
    }
}
