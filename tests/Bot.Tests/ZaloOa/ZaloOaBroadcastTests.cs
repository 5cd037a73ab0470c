using Bot.Channels;
using Bot.Storage;
using Bot.Tests.Broadcasts;
using Bot.Tests.Fakes;
using Bot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bot.Tests.ZaloOa;

public sealed class ZaloOaBroadcastTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers();

    private static readonly DateTimeOffset HourAgo = DateTimeOffset.UtcNow.AddHours(-1);
    private static readonly DateTimeOffset ThreeDaysAgo = DateTimeOffset.UtcNow.AddDays(-3);

    private static async Task<(TestDatabase Database, FakeZaloOaServer Zalo, RunningBot Bot)> StartAsync(DatabaseProvider provider, params string[] extra)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var zalo = await FakeZaloOaServer.StartAsync();
        var bot = await RunningBot.StartAsync(database,
            [.. zalo.BotArgs, $"--Admin:ApiKeys:0={BroadcastScenario.ApiKey}", "--Broadcasts:QuietHours=", "--ZaloOa:RetryBaseDelay=00:00:00.050", .. extra]);
        return (database, zalo, bot);
    }

    private static Task<List<long>> SeedAsync(RunningBot bot, long first, int count, DateTimeOffset? lastInboundAt, int windowMessages = 0) =>
        bot.DbAsync(db => BroadcastScenario.SeedResidentsAsync(db, first, count, channel: ChannelIds.Zalo, lastInboundAt: lastInboundAt,
            windowMessages: windowMessages));

    [Theory, MemberData(nameof(Providers))]
    public async Task Consultation_messages_go_only_inside_the_free_window_and_the_rest_are_counted_outside_it(DatabaseProvider provider)
    {
        var (database, zalo, bot) = await StartAsync(provider);
        await using var _ = database;
        await using var __ = zalo;
        await using var ___ = bot;
        var inside = await SeedAsync(bot, 6100001, 3, HourAgo);
        var old = await SeedAsync(bot, 6100101, 2, ThreeDaysAgo);
        var capped = await SeedAsync(bot, 6100201, 1, HourAgo, windowMessages: 8);
        var never = await SeedAsync(bot, 6100301, 1, null);
        var blocking = await SeedAsync(bot, 6100401, 1, HourAgo);
        zalo.BlockOa(blocking[0].ToString());
        using var staff = BroadcastScenario.StaffClient(bot.BaseAddress);

        var id = await BroadcastScenario.CreateAsync(staff, new { text = "Ngày hội chuyển đổi số tại nhà văn hoá thôn.", channel = "zalo" });
        var status = await BroadcastScenario.WaitDoneAsync(staff, id);

        var delivered = BroadcastScenario.DeliveredPerChat(zalo, "Ngày hội chuyển đổi số");
        Assert.Equal(inside, delivered.Keys.Order());
        Assert.All(delivered.Values, count => Assert.Equal(1, count));
        Assert.All(zalo.Calls, call => Assert.Equal(ZaloOaCall.Consultation, call.Path));
        Assert.DoesNotContain(zalo.Calls, call => old.Concat(capped).Concat(never).Any(chat => call.UserId == chat.ToString()));
        Assert.Equal((8, 3, 4, 1), (status["total"]!.GetValue<int>(), status["sent"]!.GetValue<int>(),
            status["outsideWindow"]!.GetValue<int>(), status["blocked"]!.GetValue<int>()));
        Assert.Equal(4, BroadcastScenario.ChannelCount(status, ChannelIds.Zalo, "outsideWindow"));
        var rows = await bot.DbAsync(db => BroadcastScenario.RowStatusesAsync(db, id));
        Assert.All(old.Concat(capped).Concat(never), chat => Assert.Equal(DeliveryStatus.OutsideWindow, rows[chat]));
        Assert.True((await bot.DbAsync(db => db.Residents.SingleAsync(r => r.PlatformUserId == blocking[0].ToString()))).Blocked);
        // Each consultation message counts against the resident's window.
        var counted = await bot.DbAsync(db => db.Residents.Where(r => r.Channel == ChannelIds.Zalo).ToDictionaryAsync(r => long.Parse(r.ChatId), r => r.WindowMessages));
        Assert.All(inside, chat => Assert.Equal(1, counted[chat]));
    }

    [Fact]
    public async Task With_promotion_enabled_residents_outside_the_window_get_a_promotion_until_the_oa_quota_runs_out()
    {
        var (database, zalo, bot) = await StartAsync(DatabaseProvider.Sqlite, "--ZaloOa:PromotionEnabled=true", "--Broadcasts:Senders=1");
        await using var _ = database;
        await using var __ = zalo;
        await using var ___ = bot;
        zalo.PromotionQuota = 2;
        var inside = await SeedAsync(bot, 6200001, 2, HourAgo);
        var outside = await SeedAsync(bot, 6200101, 4, ThreeDaysAgo);
        using var staff = BroadcastScenario.StaffClient(bot.BaseAddress);

        var id = await BroadcastScenario.CreateAsync(staff, new { text = "Mời bà con dự buổi hướng dẫn VNeID.\nSáng thứ Bảy tại UBND xã.", channel = "zalo" });
        var status = await BroadcastScenario.WaitDoneAsync(staff, id);

        var delivered = BroadcastScenario.DeliveredPerChat(zalo, "hướng dẫn VNeID");
        Assert.Equal(6 - 2, delivered.Count);
        Assert.All(inside, chat => Assert.Contains(zalo.Calls, c => c.UserId == chat.ToString() && c.Path == ZaloOaCall.Consultation && c.Error == 0));
        var promoted = zalo.Calls.Where(c => c.Path == ZaloOaCall.Promotion).ToList();
        Assert.Equal([0, 0, -211], promoted.Select(c => c.Error));
        Assert.Equal("Mời bà con dự buổi hướng dẫn VNeID.", promoted[0].Body["message"]!["attachment"]!["payload"]!["elements"]![0]!["content"]!.GetValue<string>());
        Assert.Equal((4, 2), (status["sent"]!.GetValue<int>(), status["outsideWindow"]!.GetValue<int>()));
        var rows = await bot.DbAsync(db => db.BroadcastDeliveries.Where(d => d.BroadcastId == id && d.Status == DeliveryStatus.OutsideWindow).ToListAsync());
        Assert.All(rows, row => Assert.Contains("promotion quota", row.Error));
    }

    [Fact]
    public async Task An_access_token_expiring_in_the_middle_of_a_broadcast_is_refreshed_once_and_each_send_retried()
    {
        var (database, zalo, bot) = await StartAsync(DatabaseProvider.Sqlite, "--ZaloOa:MaxMessagesPerSecond=20");
        await using var _ = database;
        await using var __ = zalo;
        await using var ___ = bot;
        var chats = await SeedAsync(bot, 6300001, 24, HourAgo);
        zalo.RefreshDelay = TimeSpan.FromMilliseconds(300);
        zalo.ExpireAccessTokenAfter(8);
        using var staff = BroadcastScenario.StaffClient(bot.BaseAddress);

        var id = await BroadcastScenario.CreateAsync(staff, new { text = "Hạn nộp hồ sơ trực tuyến là thứ Sáu.", channel = "zalo" });
        var status = await BroadcastScenario.WaitDoneAsync(staff, id);

        var delivered = BroadcastScenario.DeliveredPerChat(zalo, "Hạn nộp hồ sơ");
        Assert.Equal(chats, delivered.Keys.Order());
        Assert.All(delivered.Values, count => Assert.Equal(1, count));
        Assert.Equal((1, 1), (zalo.RefreshAttempts, zalo.Refreshes));
        Assert.Contains(zalo.Calls, c => c.Error == -216);
        // Every send refused with the expired token went again, once, with the new one.
        Assert.All(zalo.Calls.Where(c => c.Error == -216), refused =>
            Assert.Single(zalo.Calls, c => c.UserId == refused.UserId && c.Error == 0));
        Assert.Equal(24, status["sent"]!.GetValue<int>());
        Assert.StartsWith("oa-access-1-", (await bot.DbAsync(db => db.ZaloOaTokens.SingleAsync())).AccessToken);
    }
}
