using Bot.Storage;
using Bot.Tests.Fakes;
using Bot.Tests.Infrastructure;
using Bot.Tests.Telegram;
using Microsoft.EntityFrameworkCore;

namespace Bot.Tests.Broadcasts;

public sealed class BroadcastDeliveryTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers();

    private static readonly string[] FastRetries = ["--Broadcasts:QuietHours=", "--Telegram:RetryBaseDelay=00:00:00.050"];

    [Theory, MemberData(nameof(Providers))]
    public async Task Each_opted_in_resident_of_the_topic_gets_one_copy_with_the_footer(DatabaseProvider provider)
    {
        await using var f = await TelegramBotFixture.StartAsync("Webhook", provider, FastRetries);
        var everyTopic = await f.DbAsync(db => BroadcastScenario.SeedResidentsAsync(db, 7001, 5));
        var vneid = await f.DbAsync(db => BroadcastScenario.SeedResidentsAsync(db, 7101, 3, topics: "dich-vu-cong,vneid"));
        await f.DbAsync(db => BroadcastScenario.SeedResidentsAsync(db, 7201, 3, topics: "an-toan-mang"));
        await f.DbAsync(db => BroadcastScenario.SeedResidentsAsync(db, 7301, 2, subscribed: false));
        await f.DbAsync(db => BroadcastScenario.SeedResidentsAsync(db, 7401, 2, blocked: true));
        await f.DbAsync(db => BroadcastScenario.SeedResidentsAsync(db, 7501, 2, channel: "zalo"));
        using var staff = BroadcastScenario.StaffClient(f.Bot.BaseAddress);

        var id = await BroadcastScenario.CreateAsync(staff, new { text = "Mời bà con đến UBND {commune.name} học dùng VNeID.", topic = "vneid" });
        var status = await BroadcastScenario.WaitDoneAsync(staff, id);

        var delivered = BroadcastScenario.DeliveredPerChat(f.Telegram, "học dùng VNeID");
        Assert.Equal(everyTopic.Concat(vneid).Order(), delivered.Keys.Order());
        Assert.All(delivered.Values, count => Assert.Equal(1, count));
        Assert.Contains("UBND xã Vĩnh Phong", f.Telegram.CallsTo("sendMessage").First(c => c.Text!.Contains("VNeID")).Text);
        Assert.Equal(8, status["total"]!.GetValue<int>());
        Assert.Equal(8, status["sent"]!.GetValue<int>());
        Assert.Equal(0, status["pending"]!.GetValue<int>());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Rate_limits_and_server_errors_are_retried_and_a_blocked_chat_leaves_the_audience(DatabaseProvider provider)
    {
        await using var f = await TelegramBotFixture.StartAsync("Webhook", provider, FastRetries);
        var chats = await f.DbAsync(db => BroadcastScenario.SeedResidentsAsync(db, 8001, 6));
        f.Telegram.FailNext("sendMessage", 2, 500);
        f.Telegram.FailNext("sendMessage", 1, 429, retryAfter: 1);
        f.Telegram.BlockChat(8003);
        using var staff = BroadcastScenario.StaffClient(f.Bot.BaseAddress);

        var id = await BroadcastScenario.CreateAsync(staff, new { text = "Cảnh báo lừa đảo tuần này." });
        var status = await BroadcastScenario.WaitDoneAsync(staff, id);

        var delivered = BroadcastScenario.DeliveredPerChat(f.Telegram, "Cảnh báo lừa đảo");
        Assert.Equal(chats.Where(c => c != 8003), delivered.Keys.Order());
        Assert.All(delivered.Values, count => Assert.Equal(1, count));
        Assert.Equal(3, f.Telegram.CallsTo("sendMessage").Count(c => c.StatusCode is 500 or 429));
        Assert.Equal(5, status["sent"]!.GetValue<int>());
        Assert.Equal(1, status["blocked"]!.GetValue<int>());
        Assert.True((await f.ResidentAsync(8003)).Blocked);

        // A blocked resident is in no later audience.
        var next = await BroadcastScenario.CreateAsync(staff, new { text = "Tin thứ hai." });
        Assert.Equal(5, (await BroadcastScenario.WaitDoneAsync(staff, next))["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_send_that_times_out_may_have_arrived_so_it_is_not_resent_and_counts_uncertain()
    {
        await using var f = await TelegramBotFixture.StartAsync("Webhook", DatabaseProvider.Sqlite,
            [.. FastRetries, "--Broadcasts:Senders=1", "--Telegram:RequestTimeout=00:00:02"]);
        var chats = await f.DbAsync(db => BroadcastScenario.SeedResidentsAsync(db, 9501, 3));
        f.Telegram.DelayNext("sendMessage", 1, TimeSpan.FromSeconds(20));
        using var staff = BroadcastScenario.StaffClient(f.Bot.BaseAddress);

        var id = await BroadcastScenario.CreateAsync(staff, new { text = "Thông báo nghỉ lễ." });
        var status = await BroadcastScenario.WaitDoneAsync(staff, id);

        var delivered = BroadcastScenario.DeliveredPerChat(f.Telegram, "nghỉ lễ");
        Assert.Equal(chats, delivered.Keys.Order());
        Assert.All(delivered.Values, count => Assert.Equal(1, count));
        Assert.Equal(1, status["uncertain"]!.GetValue<int>());
        Assert.Equal(2, status["sent"]!.GetValue<int>());
        Assert.Equal(DeliveryStatus.Uncertain, (await f.DbAsync(db => BroadcastScenario.RowStatusesAsync(db, id)))[chats[0]]);
    }

    [Fact]
    public async Task Unsubscribing_while_a_broadcast_runs_takes_effect_before_that_residents_turn()
    {
        await using var f = await TelegramBotFixture.StartAsync("Webhook", DatabaseProvider.Sqlite, [.. FastRetries, "--Broadcasts:Senders=1"]);
        var chats = await f.DbAsync(db => BroadcastScenario.SeedResidentsAsync(db, 9001, 4));
        var leaving = chats[^1];
        var unsubscribed = 0;
        // The fake answers after OnCall returns: with one sender, the broadcast waits here while the last resident unsubscribes.
        f.Telegram.OnCall = call =>
        {
            if (call.Method != "sendMessage" || call.Text?.Contains("Lịch tiêm") != true || Interlocked.Exchange(ref unsubscribed, 1) == 1) return;
            Task.Run(async () =>
            {
                await f.PostAcceptedAsync(TelegramUpdateJson.Command(leaving, "unsubscribe"));
                while ((await f.ResidentAsync(leaving)).Subscribed) await Task.Delay(20);
            }).GetAwaiter().GetResult();
        };
        using var staff = BroadcastScenario.StaffClient(f.Bot.BaseAddress);

        var id = await BroadcastScenario.CreateAsync(staff, new { text = "Lịch tiêm chủng tháng này." });
        var status = await BroadcastScenario.WaitDoneAsync(staff, id);

        var delivered = BroadcastScenario.DeliveredPerChat(f.Telegram, "Lịch tiêm");
        Assert.Equal(chats.Take(3), delivered.Keys.Order());
        Assert.Equal(1, status["skipped"]!.GetValue<int>());
        Assert.Equal(DeliveryStatus.Skipped, (await f.DbAsync(db => BroadcastScenario.RowStatusesAsync(db, id)))[leaving]);
    }
}
