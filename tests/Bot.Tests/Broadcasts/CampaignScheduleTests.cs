using System.Net;
using Bot.Broadcasts;
using Bot.Storage;
using Bot.Tests.Infrastructure;
using Bot.Tests.Telegram;
using Microsoft.Extensions.DependencyInjection;
using Hangfire;

namespace Bot.Tests.Broadcasts;

public sealed class CampaignScheduleTests
{
    internal static string CopyOfDataRoot()
    {
        var source = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(source.FullName, "data", CampaignCalendar.FileName))) source = source.Parent!;
        var root = Directory.CreateTempSubdirectory("kb-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "faq"));
        foreach (var file in Directory.GetFiles(Path.Combine(source.FullName, "data", "faq")))
            File.Copy(file, Path.Combine(root, "faq", Path.GetFileName(file)));
        File.Copy(Path.Combine(source.FullName, "data", CampaignCalendar.FileName), Path.Combine(root, CampaignCalendar.FileName));
        return root;
    }

    private static List<string> CampaignJobs(RunningBot bot) =>
        CampaignScheduler.CampaignJobIds(bot.App.Services.GetRequiredService<JobStorage>()).Select(id => id[CampaignScheduler.JobPrefix.Length..]).ToList();

    [Fact]
    public async Task Reloading_the_calendar_reschedules_by_stable_keys_and_a_broken_file_keeps_the_schedule()
    {
        var root = CopyOfDataRoot();
        try
        {
            await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
            await using var bot = await RunningBot.StartAsync(database, $"--Knowledge:Root={root}", $"--Admin:ApiKeys:0={BroadcastScenario.ApiKey}");
            using var staff = BroadcastScenario.StaffClient(bot.BaseAddress);
            var all = CampaignJobs(bot).Order().ToList();
            Assert.Equal(12, all.Count);

            Assert.Equal(HttpStatusCode.OK, (await staff.PostAsync("/api/admin/broadcasts/calendar/reload", null)).StatusCode);
            Assert.Equal(all, CampaignJobs(bot).Order());

            var path = Path.Combine(root, CampaignCalendar.FileName);
            var text = await File.ReadAllTextAsync(path);
            var weeklyAt = text.IndexOf("  - id: meo-an-toan-hang-tuan", StringComparison.Ordinal);
            var nextAt = text.IndexOf("  - id: meo-vneid-hang-thang", StringComparison.Ordinal);
            await File.WriteAllTextAsync(path, text[..weeklyAt] + text[nextAt..]);
            // Saving the file is enough; waiting for the watcher is not a timing assertion.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (CampaignJobs(bot).Count != 11 && DateTime.UtcNow < deadline) await Task.Delay(100);
            Assert.DoesNotContain("meo-an-toan-hang-tuan.tips", CampaignJobs(bot));

            await File.WriteAllTextAsync(path, text.Replace("weekly: monday", "weekly: someday"));
            var refused = await staff.PostAsync("/api/admin/broadcasts/calendar/reload", null);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains($"campaigns.yaml:{text[..text.IndexOf("weekly: monday", StringComparison.Ordinal)].Count(c => c == '\n') + 1}:",
                await refused.Content.ReadAsStringAsync());
            Assert.Equal(11, CampaignJobs(bot).Count);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Fact]
    public async Task A_calendar_occurrence_reaches_its_topic_once_even_when_it_fires_twice()
    {
        await using var f = await TelegramBotFixture.StartAsync("Webhook", DatabaseProvider.Sqlite, "--Broadcasts:QuietHours=");
        var followers = await f.DbAsync(db => BroadcastScenario.SeedResidentsAsync(db, 7701, 2, topics: "chuong-trinh"));
        await f.DbAsync(db => BroadcastScenario.SeedResidentsAsync(db, 7801, 2, topics: "vneid"));
        var part = CampaignCalendar.Load(f.Bot.App.Services.GetRequiredService<Bot.Conversation.KnowledgeProvider>().Root)
            .Single(p => p.Key == "ngay-chuyen-doi-so-quoc-gia.reminder-0");
        var firedAt = DateTimeOffset.UtcNow.AddMinutes(-1);

        async Task<IReadOnlyList<Broadcast>> FireAsync()
        {
            await using var scope = f.Bot.App.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<BroadcastPlanner>().CreateOccurrenceAsync(part, firedAt, default);
        }
        var first = Assert.Single(await FireAsync());
        Assert.Empty(await FireAsync());

        using var staff = BroadcastScenario.StaffClient(f.Bot.BaseAddress);
        await BroadcastScenario.WaitDoneAsync(staff, first.Id);
        var delivered = BroadcastScenario.DeliveredPerChat(f.Telegram, "Ngày Chuyển đổi số quốc gia");
        Assert.Equal(followers, delivered.Keys.Order());
        Assert.All(delivered.Values, count => Assert.Equal(1, count));
        // The Telegram wording is the default text; the zalo: override is not used here.
        Assert.All(f.Telegram.CallsTo("sendMessage").Where(c => c.Text!.Contains("Ngày Chuyển đổi số")), c => Assert.Contains("thanh toán không dùng tiền mặt", c.Text));
    }
}
