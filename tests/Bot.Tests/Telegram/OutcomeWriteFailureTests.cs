using System.Net;
using Bot.Storage;
using Bot.Tests.Fakes;
using Microsoft.EntityFrameworkCore;

namespace Bot.Tests.Telegram;

public sealed class OutcomeWriteFailureTests
{
    [Fact]
    public async Task An_outcome_the_database_refuses_to_record_leaves_the_worker_answering_the_next_residents()
    {
        // One worker: every chat's updates pass through the same queue, so a worker lost to the failure would answer nobody after it.
        await using var f = await TelegramBotFixture.StartAsync("Webhook", DatabaseProvider.Sqlite, "--Channels:Workers=1");
        const long failing = 71_001, next = 71_002;
        await f.DbAsync(db => db.Database.ExecuteSqlRawAsync("""
            CREATE TRIGGER refuse_outcome BEFORE UPDATE OF status ON inbound_updates
            WHEN NEW.update_id = '7100001' AND NEW.status = 'done'
            BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END
            """));

        var first = TelegramUpdateJson.PrivateText(failing, "quên mật khẩu VNeID");
        first["update_id"] = 7_100_001;
        await f.PostAcceptedAsync(first);
        await f.NthMessageToAsync(failing, 1);
        await f.PostAcceptedAsync(TelegramUpdateJson.PrivateText(next, "quên mật khẩu VNeID"));

        await f.NthMessageToAsync(next, 1);
        Assert.Equal(HttpStatusCode.OK, (await f.Bot.Client.GetAsync("/healthz")).StatusCode);
        // Not recorded as answered: it stays claimed, so the sweeper takes it over (at least once, never lost).
        var stored = await f.DbAsync(db => db.InboundUpdates.AsNoTracking().SingleAsync(u => u.UpdateId == "7100001"));
        Assert.Equal(InboundUpdateStatus.Processing, stored.Status);
    }
}
