using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bot.Channels;
using Bot.Storage;
using Bot.Tests.Fakes;
using Bot.Tests.Infrastructure;
using Bot.Tests.Telegram;
using Bot.Tests.ZaloBot;

namespace Bot.Tests.Broadcasts;

public sealed class CrossChannelBroadcastTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers();

    [Theory, MemberData(nameof(Providers))]
    public async Task One_broadcast_reaches_telegram_zalo_oa_and_zalo_bot_with_the_window_rule_and_counts_per_channel(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var oa = await FakeZaloOaServer.StartAsync();
        await using var zaloBot = await FakeZaloBotServer.StartAsync();
        await using var bot = await RunningBot.StartAsync(database,
        [
            "--Telegram:Mode=Webhook", $"--Telegram:BotToken={telegram.Token}", $"--Telegram:ApiBaseUrl={telegram.BaseUrl}",
            "--Telegram:PublicUrl=https://bot.xa-thu-nghiem.gov.vn", $"--Telegram:WebhookSecret={TelegramBotFixture.Secret}",
            .. oa.BotArgs,
            "--ZaloBot:Mode=Webhook", $"--ZaloBot:Token={FakeZaloBotServer.Token}", $"--ZaloBot:ApiBaseUrl={zaloBot.BaseUrl}",
            "--ZaloBot:PublicUrl=https://bot.xa-thu-nghiem.gov.vn", $"--ZaloBot:WebhookSecret={ZaloBotFixture.Secret}",
            $"--Admin:ApiKeys:0={BroadcastScenario.ApiKey}", "--Broadcasts:QuietHours=",
        ]);
        var telegramChats = await bot.DbAsync(db => BroadcastScenario.SeedResidentsAsync(db, 5100001, 4));
        var oaInside = await bot.DbAsync(db => BroadcastScenario.SeedResidentsAsync(db, 5200001, 3, channel: ChannelIds.Zalo,
            lastInboundAt: DateTimeOffset.UtcNow.AddHours(-20)));
        var oaOutside = await bot.DbAsync(db => BroadcastScenario.SeedResidentsAsync(db, 5200101, 2, channel: ChannelIds.Zalo,
            lastInboundAt: DateTimeOffset.UtcNow.AddHours(-50)));
        var zaloBotChats = await bot.DbAsync(db => BroadcastScenario.SeedResidentsAsync(db, 5300001, 3, channel: ChannelIds.ZaloBot));
        telegram.BlockChat(telegramChats[0]);
        zaloBot.BlockChat(zaloBotChats[^1].ToString());
        using var staff = BroadcastScenario.StaffClient(bot.BaseAddress);
        var audience = await staff.GetFromJsonAsync<JsonObject>("/api/admin/broadcasts/audience");
        var zalo = audience!["channels"]!.AsArray().Single(c => c!["channel"]!.GetValue<string>() == ChannelIds.Zalo)!;
        Assert.Equal((5, 3), (zalo["residents"]!.GetValue<int>(), zalo["insideFreeWindow"]!.GetValue<int>()));
        Assert.StartsWith("3 người còn trong 48 giờ nhắn miễn phí", zalo["note"]!.GetValue<string>());

        var id = await BroadcastScenario.CreateAsync(staff, new { text = "Ngày Chuyển đổi số quốc gia 10/10: mời bà con tham gia." });
        var status = await BroadcastScenario.WaitDoneAsync(staff, id);

        const string Marker = "Ngày Chuyển đổi số quốc gia";
        Assert.Equal(telegramChats.Skip(1), BroadcastScenario.DeliveredPerChat(telegram, Marker).Keys.Order());
        Assert.Equal(oaInside, BroadcastScenario.DeliveredPerChat(oa, Marker).Keys.Order());
        Assert.Equal(zaloBotChats.SkipLast(1).Select(c => c.ToString()),
            zaloBot.Calls.Where(c => c.Method == "sendMessage" && c.StatusCode == 200 && c.Text!.Contains(Marker)).Select(c => c.ChatId).Order());
        int Count(string channel, string what) => BroadcastScenario.ChannelCount(status, channel, what);
        Assert.Equal((3, 0, 1), (Count(ChannelIds.Telegram, "sent"), Count(ChannelIds.Telegram, "outsideWindow"), Count(ChannelIds.Telegram, "blocked")));
        Assert.Equal((3, 2, 0), (Count(ChannelIds.Zalo, "sent"), Count(ChannelIds.Zalo, "outsideWindow"), Count(ChannelIds.Zalo, "blocked")));
        Assert.Equal((2, 0, 1), (Count(ChannelIds.ZaloBot, "sent"), Count(ChannelIds.ZaloBot, "outsideWindow"), Count(ChannelIds.ZaloBot, "blocked")));
        Assert.Equal((12, 8, 2, 2, 0), (status["total"]!.GetValue<int>(), status["sent"]!.GetValue<int>(), status["outsideWindow"]!.GetValue<int>(),
            status["blocked"]!.GetValue<int>(), status["pending"]!.GetValue<int>()));
        var rows = await bot.DbAsync(db => BroadcastScenario.RowStatusesAsync(db, id));
        Assert.All(oaOutside, chat => Assert.Equal(DeliveryStatus.OutsideWindow, rows[chat]));
    }
}
