using Bot.Broadcasts;
using Bot.Channels;
using Bot.Conversation;
using Bot.Storage;
using Bot.Tests.Fakes;
using Bot.Tests.Infrastructure;
using Bot.Tests.Telegram;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Broadcasts;

public sealed class BroadcastRecoveryTests
{
    private const string Marker = "Ngày Chuyển đổi số";

    private static string[] TelegramArgs(FakeTelegramServer telegram, int perSecond) =>
    [
        "--Telegram:Mode=Webhook", $"--Telegram:BotToken={telegram.Token}", $"--Telegram:ApiBaseUrl={telegram.BaseUrl}",
        "--Telegram:PublicUrl=https://bot.xa-thu-nghiem.gov.vn", $"--Telegram:WebhookSecret={TelegramBotFixture.Secret}",
        $"--Telegram:MaxMessagesPerSecond={perSecond}", $"--Admin:ApiKeys:0={BroadcastScenario.ApiKey}", "--Broadcasts:QuietHours=",
    ];

    [Fact]
    public async Task A_host_killed_in_the_middle_of_a_broadcast_resumes_nobody_is_missed_and_doubles_stay_within_the_senders()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        List<long> chats;
        await using (var storage = new StorageScope(database))
        {
            await storage.NewMigrator().MigrateAsync();
            chats = await BroadcastScenario.SeedResidentsAsync(storage.NewContext(), 600001, 60);
        }
        await using var telegram = await FakeTelegramServer.StartAsync();
        // 15 messages/s: the broadcast takes about four seconds, so the kill lands in its middle.
        const int Senders = 4;
        string[] args = [.. database.Args, .. TelegramArgs(telegram, 15), $"--Broadcasts:Senders={Senders}", "--Logging:LogLevel:Default=Warning"];
        var port = BotProcess.FreePort();

        long id;
        using (var first = await BotProcess.StartAsync(port, args))
        {
            using var staff = BroadcastScenario.StaffClient(first.BaseAddress);
            id = await BroadcastScenario.CreateAsync(staff, new { text = Marker + " sắp đến." });
            await telegram.WaitForAsync(c => c.Method == "sendMessage" && c.Text?.Contains(Marker) == true, 20, TimeSpan.FromSeconds(60));
            await first.KillAsync();
        }
        var beforeRestart = BroadcastScenario.DeliveredPerChat(telegram, Marker).Count;
        Assert.True(beforeRestart < chats.Count, "the kill should land before the broadcast finished");

        using (var second = await BotProcess.StartAsync(port, args))
        {
            using var staff = BroadcastScenario.StaffClient(second.BaseAddress);
            await BroadcastScenario.WaitDoneAsync(staff, id);
        }

        // At least once: the rows in flight at the kill (one per sender at most) are sent again after the restart, so
        // nobody misses the message and the only doubles are those sends.
        var delivered = BroadcastScenario.DeliveredPerChat(telegram, Marker);
        Assert.Equal(chats, delivered.Keys.Order());
        Assert.All(delivered, chat => Assert.True(chat.Value <= 2, $"chat {chat.Key} got {chat.Value} copies"));
        var doubles = delivered.Count(chat => chat.Value == 2);
        Assert.True(doubles <= Senders, $"{doubles} residents got two copies; at most one send per sender can be in flight at a kill");
        await using var check = new StorageScope(database);
        var rows = await BroadcastScenario.RowStatusesAsync(check.NewContext(), id);
        Assert.All(chats, chat => Assert.Equal(DeliveryStatus.Sent, rows[chat]));
    }

    [Fact]
    public async Task A_host_killed_in_the_middle_of_a_zalo_oa_broadcast_resumes_and_nobody_inside_the_window_is_missed()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        List<long> users;
        await using (var storage = new StorageScope(database))
        {
            await storage.NewMigrator().MigrateAsync();
            users = await BroadcastScenario.SeedResidentsAsync(storage.NewContext(), 6400001, 60, channel: ChannelIds.Zalo,
                lastInboundAt: DateTimeOffset.UtcNow.AddHours(-2));
        }
        await using var zalo = await FakeZaloOaServer.StartAsync();
        const int Senders = 4;
        // 15 messages/s: the broadcast takes about four seconds, so the kill lands in its middle.
        string[] args = [.. database.Args, .. zalo.BotArgs, "--Telegram:Mode=Off", "--ZaloOa:MaxMessagesPerSecond=15", $"--Broadcasts:Senders={Senders}",
            $"--Admin:ApiKeys:0={BroadcastScenario.ApiKey}", "--Broadcasts:QuietHours=", "--Logging:LogLevel:Default=Warning"];
        var port = BotProcess.FreePort();

        long id;
        using (var first = await BotProcess.StartAsync(port, args))
        {
            using var staff = BroadcastScenario.StaffClient(first.BaseAddress);
            id = await BroadcastScenario.CreateAsync(staff, new { text = Marker + " sắp đến.", channel = ChannelIds.Zalo });
            while (BroadcastScenario.DeliveredPerChat(zalo, Marker).Count < 20) await Task.Delay(20);
            await first.KillAsync();
        }
        Assert.True(BroadcastScenario.DeliveredPerChat(zalo, Marker).Count < users.Count, "the kill should land before the broadcast finished");

        using (var second = await BotProcess.StartAsync(port, args))
        {
            using var staff = BroadcastScenario.StaffClient(second.BaseAddress);
            var status = await BroadcastScenario.WaitDoneAsync(staff, id);
            Assert.Equal((60, 60, 0), (status["total"]!.GetValue<int>(), status["sent"]!.GetValue<int>(), status["outsideWindow"]!.GetValue<int>()));
        }

        var delivered = BroadcastScenario.DeliveredPerChat(zalo, Marker);
        Assert.Equal(users, delivered.Keys.Order());
        Assert.All(delivered, user => Assert.True(user.Value <= 2, $"user {user.Key} got {user.Value} copies"));
        var doubles = delivered.Count(user => user.Value == 2);
        Assert.True(doubles <= Senders, $"{doubles} residents got two copies; at most one send per sender can be in flight at a kill");
    }

    [Fact]
    public async Task On_PostgreSQL_two_nodes_fire_a_due_campaign_once_and_one_finishes_what_the_stopped_one_began()
    {
        if (TestDatabase.PostgresAdmin is null) return; // PostgreSQL tests run when test.sh started the cluster
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var telegram = await FakeTelegramServer.StartAsync();
        // Small claims so that both nodes take part; 10 messages/s each keeps the broadcast running for a few seconds.
        string[] args = [.. TelegramArgs(telegram, 10), "--Broadcasts:ClaimBatch=5"];
        var nodeA = await RunningBot.StartAsync(database, args);
        await using var nodeB = await RunningBot.StartAsync(database, args);
        List<long> chats;
        await using (var scope = new StorageScope(database))
            chats = await BroadcastScenario.SeedResidentsAsync(scope.NewContext(), 700001, 50);

        // The 10/10 reminder, due a few seconds from now (Vietnam time), as a recurring job in the shared Hangfire storage:
        // both nodes' schedulers see it come due.
        var dueAt = DateTimeOffset.UtcNow.AddSeconds(6);
        var local = VietnamTime.ToLocal(dueAt);
        var part = CampaignCalendar.Load(nodeA.App.Services.GetRequiredService<KnowledgeProvider>().Root)
            .Single(p => p.Key == "ngay-chuyen-doi-so-quoc-gia.reminder-0") with
            {
                Key = "hai-may-chu", Topic = null, Cron = $"{local.Second} {local.Minute} {local.Hour} {local.Day} {local.Month} *",
            };
        CampaignScheduler.Schedule(nodeA.App.Services.GetRequiredService<IRecurringJobManager>(), CampaignScheduler.JobPrefix + part.Key, part);
        await telegram.WaitForAsync(c => c.Method == "sendMessage" && c.Text?.Contains(Marker) == true, 10, TimeSpan.FromSeconds(60));
        long id;
        await using (var scope = new StorageScope(database))
            id = (await scope.NewContext().Broadcasts.SingleAsync(b => b.CampaignKey!.StartsWith(part.Key + "@"))).Id;
        var storage = nodeB.App.Services.GetRequiredService<JobStorage>();
        var monitoring = storage.GetMonitoringApi();
        var campaignRuns = monitoring.SucceededJobs(0, 100).Select(j => j.Value.Job)
            .Concat(monitoring.ProcessingJobs(0, 100).Select(j => j.Value.Job))
            .Concat(monitoring.EnqueuedJobs("default", 0, 100).Select(j => j.Value.Job))
            .Count(job => job?.Type == typeof(CampaignJob));
        Assert.Equal(1, campaignRuns);
        await nodeA.DisposeAsync();

        using var staffB = BroadcastScenario.StaffClient(nodeB.BaseAddress);
        var status = await BroadcastScenario.WaitDoneAsync(staffB, id);

        var delivered = BroadcastScenario.DeliveredPerChat(telegram, Marker);
        Assert.Equal(chats, delivered.Keys.Order());
        Assert.All(delivered, chat => Assert.True(chat.Value == 1, $"chat {chat.Key} got {chat.Value} copies"));
        Assert.Equal(chats.Count, status["total"]!.GetValue<int>());
        Assert.Equal(chats.Count, status["sent"]!.GetValue<int>());
    }
}
