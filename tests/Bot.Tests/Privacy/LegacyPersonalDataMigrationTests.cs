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
        await storage.NewMigrator().MigrateAsync(targetVersion: 5);
        var now = DateTimeOffset.UtcNow;
        await using (var db = storage.NewContext())
        {
            db.InboundUpdates.AddRange(
                new InboundUpdate { Channel = "telegram", UpdateId = "1", Payload = "{\"text\":\"CCCD 001203004567\"}", Status = InboundUpdateStatus.Failed, ReceivedAt = now },
                new InboundUpdate { Channel = "telegram", UpdateId = "2", Payload = "{\"text\":\"hỏi\"}", Status = InboundUpdateStatus.Pending, ReceivedAt = now });
            db.Residents.AddRange(
                new Resident { Channel = "web", PlatformUserId = "0912345678", ChatId = "0912345678", CreatedAt = now, LastSeenAt = now },
                new Resident { Channel = "telegram", PlatformUserId = "777", ChatId = "777", CreatedAt = now, LastSeenAt = now });
            await db.SaveChangesAsync();
        }
        await storage.NewMigrator().MigrateAsync();

        await using var check = storage.NewContext();
        Assert.Equal(["", "{\"text\":\"hỏi\"}"], await check.InboundUpdates.OrderBy(u => u.UpdateId).Select(u => u.Payload).ToListAsync());
        var residents = await check.Residents.OrderBy(r => r.Id).ToListAsync();
        Assert.StartsWith("legacy-", residents[0].PlatformUserId);
        Assert.Equal(residents[0].PlatformUserId, residents[0].ChatId);
        Assert.Equal("777", residents[1].PlatformUserId);
    }
}
