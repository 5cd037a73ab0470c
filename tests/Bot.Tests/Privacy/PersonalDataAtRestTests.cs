using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Bot.Channels;
using Bot.Storage;
using Bot.Tests.Fakes;
using Bot.Tests.Infrastructure;
using Bot.Tests.Telegram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Privacy;

/// <summary>Decree 13/2023: residents' numbers never reach the database files unmasked.</summary>
public sealed class PersonalDataAtRestTests
{
    private static bool Holds(byte[] bytes, string text) =>
        bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0 || bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(text)) >= 0;

    [Fact]
    public async Task A_telegram_update_with_an_id_number_and_a_phone_as_display_name_leaves_only_masked_numbers_on_disk()
    {
        await using var f = await TelegramBotFixture.StartAsync("Webhook");
        await f.PostAcceptedAsync(TelegramUpdateJson.PrivateText(8008, "mất CCCD số 001203004567 thì làm lại thế nào", firstName: "0912 345 678"));
        await f.NthMessageToAsync(8008, 1);
        await Eventually.WaitUntilAsync(async () => await f.DbAsync(db => db.InboundUpdates.AllAsync(u => u.Status == InboundUpdateStatus.Done)));

        Assert.Equal("**** *** 678", (await f.ResidentAsync(8008)).DisplayName);
        var bytes = f.Database.SqliteBytes();
        Assert.False(Holds(bytes, "001203004567"), "the CCCD number is in the database files");
        Assert.False(Holds(bytes, "0912 345 678"), "the phone number is in the database files");
        Assert.True(Holds(bytes, "*********567"), "the masked CCCD number should be there");
    }

    [Fact]
    public async Task Failed_updates_are_purged_on_the_same_retention_as_answered_ones()
    {
        await using var f = await TelegramBotFixture.StartAsync("Webhook");
        var old = DateTimeOffset.UtcNow.AddDays(-8);
        await f.DbAsync(async db =>
        {
            db.InboundUpdates.Add(new InboundUpdate
            {
                Channel = "telegram", UpdateId = "5550001", Payload = "{}", Status = InboundUpdateStatus.Failed, Attempts = 5,
                ReceivedAt = old, ClaimedAt = old, LastError = "boom",
            });
            return await db.SaveChangesAsync();
        });
        Assert.Equal(1, await f.Bot.App.Services.GetRequiredService<InboundUpdates>().PurgeExpiredAsync());
        Assert.Equal(0, await f.DbAsync(db => db.InboundUpdates.CountAsync()));
    }

    [Fact]
    public async Task A_deleted_row_leaves_no_trace_in_the_sqlite_file()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var storage = new StorageScope(database);
        await storage.NewMigrator().MigrateAsync();
        const string secret = "Nguyen Van Secret 0987654321-marker";
        await using (var db = storage.NewContext())
        {
            db.AuditEntries.Add(new AuditEntry { At = DateTimeOffset.UtcNow, Actor = "test", Action = "x", Detail = secret });
            await db.SaveChangesAsync();
            await db.AuditEntries.ExecuteDeleteAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        Assert.False(Holds(database.SqliteBytes(), secret), "freed pages still hold the deleted text");
    }

    [Fact]
    public async Task A_staff_reply_is_masked_at_rest_once_the_resident_has_it()
    {
        await using var f = await TelegramBotFixture.StartAsync("Webhook");
        await f.PostAcceptedAsync(TelegramUpdateJson.PrivateText(8009, "giá vàng hôm nay bao nhiêu"));
        await f.NthMessageToAsync(8009, 1);
        var handover = await f.DbAsync(db => db.Handovers.SingleAsync());
        using var reply = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/handovers/{handover.Id}/reply")
        {
            Content = JsonContent.Create(new { text = "Bác gọi cho chị Hoa số 0913 456 789 để được hướng dẫn ạ." }),
        };
        reply.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TelegramBotFixture.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await f.Bot.Client.SendAsync(reply)).StatusCode);

        Assert.Contains("0913 456 789", (await f.NthMessageToAsync(8009, 2)).Text);
        await Eventually.WaitUntilAsync(async () => (await f.DbAsync(db => db.Handovers.SingleAsync())).DeliveredAt is not null);
        Assert.Equal("Bác gọi cho chị Hoa số **** *** 789 để được hướng dẫn ạ.", (await f.DbAsync(db => db.Handovers.SingleAsync())).StaffReply);
    }
}
