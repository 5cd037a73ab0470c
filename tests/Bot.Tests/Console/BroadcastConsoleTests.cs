using Bot.Broadcasts;
using Bot.Storage;
using Bot.Tests.Broadcasts;
using Bot.Tests.Telegram;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bot.Tests.Console;

/// <summary>The broadcast page against the real host and the loopback fake Bot API: compose, watch it go out, cancel, test send.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BroadcastConsoleTests(ConsoleBrowser browser)
{
    private const string Editor = "canbo";
    private const string Password = "mat-khau-canbo-1";
    private const long StaffChat = 990_001;

    /// <summary>A quiet window hours away from now in Vietnam, so it shows on the page without holding the test back.</summary>
    private static string QuietHoursAwayFromNow()
    {
        var local = VietnamTime.ToLocal(DateTimeOffset.UtcNow);
        return $"{local.AddHours(6):HH:mm}-{local.AddHours(8):HH:mm}";
    }

    private async Task<(TelegramBotFixture Fixture, IPage Console)> StartAsync(int residents, int messagesPerSecond, params string[] extra)
    {
        var f = await TelegramBotFixture.StartAsync("Webhook", DatabaseProvider.Sqlite,
            [$"--Broadcasts:QuietHours={QuietHoursAwayFromNow()}", $"--Telegram:MaxMessagesPerSecond={messagesPerSecond}",
             $"--Broadcasts:TestChatIds={StaffChat}", .. extra]);
        await f.Bot.DbAsync(db => BroadcastScenario.SeedResidentsAsync(db, 500_000, residents, topics: "vneid"));
        await f.Bot.DbAsync(db => BroadcastScenario.SeedResidentsAsync(db, 600_000, 3, topics: "thanh-toan"));
        await ConsoleBrowser.CreateAccountAsync(f.Bot, Editor, Password, StaffRoles.Staff);
        var console = await browser.NewPageAsync(f.Bot.BaseAddress);
        await ConsoleBrowser.SignInAsync(console, Editor, Password);
        await console.ClickAsync("#nav a[data-view=broadcasts]");
        await Expect(console.Locator("#bc-quiet")).ToContainTextAsync("Giờ nghỉ đêm");
        return (f, console);
    }

    [BrowserFact]
    public async Task A_broadcast_composed_in_the_console_goes_out_and_the_progress_bar_reaches_100_percent()
    {
        var (f, console) = await StartAsync(residents: 40, messagesPerSecond: 10);
        await using var _ = f;
        await ConsoleBrowser.ScreenshotAsync(console, "broadcasts");
        await console.ClickAsync("#bc-new");

        await console.ClickAsync("#bc-submit");
        await Expect(console.Locator("#bc-form [data-error-for=text]")).ToContainTextAsync("Nhập nội dung tin");

        await console.FillAsync("#bc-text", "Chiều thứ bảy, {commune.name} hướng dẫn bà con cài VNeID mức 2 tại nhà văn hoá thôn.");
        await console.SelectOptionAsync("#bc-topic", "vneid");
        await Expect(console.Locator("#bc-audience-total")).ToHaveTextAsync("40");
        await console.SelectOptionAsync("#bc-topic", "");
        await Expect(console.Locator("#bc-audience-total")).ToHaveTextAsync("43");
        await console.SelectOptionAsync("#bc-topic", "vneid");
        await Expect(console.Locator("#bc-audience-total")).ToHaveTextAsync("40");
        var telegramPreview = console.Locator(".preview-card[data-channel=telegram]");
        await Expect(telegramPreview).ToContainTextAsync("xã Vĩnh Phong hướng dẫn bà con");
        await Expect(telegramPreview).ToContainTextAsync(BroadcastText.Footer);
        await Expect(telegramPreview).ToContainTextAsync("/4.096 ký tự");
        await Expect(console.Locator(".preview-card[data-channel=zalo-bot]")).ToContainTextAsync("kênh đang tắt");
        await ConsoleBrowser.ScreenshotAsync(console, "broadcast-compose");

        await console.ClickAsync("#bc-submit");
        await Expect(console.Locator("#bc-view")).ToBeVisibleAsync();
        // Watched live: the bar moves without reloading and stops at 100 % with every resident sent.
        await Expect(console.Locator("#bc-percent")).Not.ToHaveTextAsync("0%", new() { Timeout = 20_000 });
        await Expect(console.Locator("#bc-percent")).ToHaveTextAsync("100%", new() { Timeout = 60_000 });
        await Expect(console.Locator("#bc-view")).ToHaveAttributeAsync("data-status", BroadcastStatus.Done);
        await Expect(console.Locator("#bc-buckets li[data-status=sent] strong")).ToHaveTextAsync("40");
        await Expect(console.Locator("#bc-buckets li[data-status=pending] strong")).ToHaveTextAsync("0");
        Assert.Equal(40, BroadcastScenario.DeliveredPerChat(f.Telegram, "hướng dẫn bà con cài VNeID").Count);
        await Expect(console.Locator("#bc-calendar .chip.done")).ToHaveCountAsync(1);
        await ConsoleBrowser.ScreenshotAsync(console, "broadcast-done");

        await console.SetViewportSizeAsync(ConsoleBrowser.Phone.Width, ConsoleBrowser.Phone.Height);
        await ConsoleBrowser.ScreenshotAsync(console, "broadcast-done");
        await console.ClickAsync("#bc-detail .back");
        await ConsoleBrowser.ScreenshotAsync(console, "broadcasts");
        await console.ClickAsync("#bc-new");
        await console.FillAsync("#bc-text", "Tin thử trên điện thoại.");
        await Expect(console.Locator(".preview-card[data-channel=telegram]")).ToContainTextAsync("Tin thử trên điện thoại.");
        await ConsoleBrowser.ScreenshotAsync(console, "broadcast-compose");
    }

    [BrowserFact]
    public async Task Staff_test_send_a_scheduled_broadcast_and_cancel_one_mid_way()
    {
        var (f, console) = await StartAsync(residents: 150, messagesPerSecond: 5);
        await using var _ = f;

        // Scheduled for tomorrow: on the calendar, a test send reaches the staff chat, then it is cancelled.
        var tomorrow = VietnamTime.ToLocal(DateTimeOffset.UtcNow).AddDays(1);
        await console.ClickAsync("#bc-new");
        await console.FillAsync("#bc-text", "Sáng mai họp dân về dịch vụ công trực tuyến.");
        await console.CheckAsync("#bc-when-later");
        await console.FillAsync("#bc-send-at", $"{tomorrow:yyyy-MM-dd}T10:00");
        await Expect(console.Locator("#bc-submit")).ToHaveTextAsync("Lên lịch");
        await console.ClickAsync("#bc-submit");
        await Expect(console.Locator("#bc-progress-text")).ToContainTextAsync("Đã lên lịch");
        await console.ClickAsync("#bc-test");
        await Expect(console.Locator("#toast")).ToContainTextAsync("Đã gửi thử cho 1 cán bộ");
        await f.Telegram.WaitForAsync(c => c.ChatId == StaffChat && c.Text?.StartsWith("[GỬI THỬ] Sáng mai họp dân") == true);
        if (tomorrow.Month == VietnamTime.ToLocal(DateTimeOffset.UtcNow).Month)
            await Expect(console.Locator($"#bc-calendar .day[data-date='{tomorrow:yyyy-MM-dd}'] .chip.scheduled")).ToHaveCountAsync(1);
        console.Dialog += (_, dialog) => dialog.AcceptAsync();
        await console.ClickAsync("#bc-cancel");
        await Expect(console.Locator("#bc-view")).ToHaveAttributeAsync("data-status", BroadcastStatus.Cancelled);

        // Sent now to 150 at 5 a second: cancelled once some have gone, the rest are skipped and never sent.
        await console.ClickAsync("#bc-new");
        await console.FillAsync("#bc-text", "Cảnh giác cuộc gọi giả danh công an yêu cầu cài ứng dụng lạ.");
        await console.SelectOptionAsync("#bc-topic", "vneid");
        await console.CheckAsync("#bc-when-now");
        await console.ClickAsync("#bc-submit");
        await Expect(console.Locator("#bc-progress-text")).ToContainTextAsync("Dự kiến xong lúc", new() { Timeout = 20_000 });
        await f.Telegram.WaitForAsync(c => c.Text?.Contains("Cảnh giác cuộc gọi") == true, count: 5, timeout: TimeSpan.FromSeconds(30));
        await ConsoleBrowser.ScreenshotAsync(console, "broadcast-sending");
        await console.ClickAsync("#bc-cancel");
        await Expect(console.Locator("#bc-view")).ToHaveAttributeAsync("data-status", BroadcastStatus.Cancelled);
        await Expect(console.Locator("#bc-percent")).ToHaveTextAsync("100%");

        var id = await f.Bot.DbAsync(db => db.Broadcasts.Where(b => b.Text.StartsWith("Cảnh giác")).Select(b => b.Id).SingleAsync());
        var rows = await f.Bot.DbAsync(db => BroadcastScenario.RowStatusesAsync(db, id));
        var skipped = rows.Values.Count(s => s == DeliveryStatus.Skipped);
        var sent = rows.Values.Count(s => s == DeliveryStatus.Sent);
        Assert.True(skipped > 0, "nothing was left to skip");
        Assert.Equal(150, rows.Count);
        Assert.Equal(sent + skipped, rows.Values.Count(s => s is DeliveryStatus.Sent or DeliveryStatus.Skipped));
        await Expect(console.Locator("#bc-buckets li[data-status=skipped] strong")).ToHaveTextAsync(skipped.ToString());
        await Task.Delay(1500); // the senders in flight finish; nothing more leaves
        var delivered = BroadcastScenario.DeliveredPerChat(f.Telegram, "Cảnh giác cuộc gọi");
        Assert.Equal(sent, delivered.Count);
        Assert.True(delivered.Count < 150);
        await ConsoleBrowser.ScreenshotAsync(console, "broadcast-cancelled");
    }

    [BrowserFact]
    public async Task The_campaign_calendar_is_edited_in_the_console_with_the_files_validation()
    {
        var root = CampaignScheduleTests.CopyOfDataRoot();
        try
        {
            var (f, console) = await StartAsync(1, 30, $"--Knowledge:Root={root}");
            await using var _ = f;
            await console.ClickAsync("#bc-yaml-card summary");
            await Expect(console.Locator("#bc-yaml")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("campaigns:"));
            var original = await console.InputValueAsync("#bc-yaml");
            var broken = original.Replace("weekly: monday", "weekly: thu-hai");
            Assert.NotEqual(original, broken);
            await console.FillAsync("#bc-yaml", broken);
            await console.ClickAsync("#bc-yaml-form button[type=submit]");
            await Expect(console.Locator("#bc-yaml-form [data-error-for=yaml]")).ToContainTextAsync("weekly phải là thứ trong tuần");
            await Expect(console.Locator("#bc-yaml")).ToHaveValueAsync(broken);
            Assert.Equal(original, await File.ReadAllTextAsync(Path.Combine(root, CampaignCalendar.FileName)));
            await ConsoleBrowser.ScreenshotAsync(console, "broadcast-calendar-error");

            // A valid edit is saved to the file and rescheduled at once: the weekly tips move to Tuesday.
            await console.FillAsync("#bc-yaml", original.Replace("weekly: monday", "weekly: tuesday"));
            await console.ClickAsync("#bc-yaml-form button[type=submit]");
            await Expect(console.Locator("#toast")).ToContainTextAsync("Đã lưu lịch");
            Assert.Contains("weekly: tuesday", await File.ReadAllTextAsync(Path.Combine(root, CampaignCalendar.FileName)));
            using var connection = f.Bot.App.Services.GetRequiredService<JobStorage>().GetConnection();
            Assert.Contains(connection.GetRecurringJobs(), j => j.Id.StartsWith(CampaignScheduler.JobPrefix) && j.Cron.EndsWith("TUE"));
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}
