using Bot.Broadcasts;
using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;
using Hangfire.Storage.SQLite;

namespace Bot.Tests.Broadcasts;

public sealed class CampaignCalendarTests
{
    private static string DataRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "data", CampaignCalendar.FileName))) return Path.Combine(dir.FullName, "data");
        throw new InvalidOperationException("data/campaigns.yaml not found above the test folder");
    }

    /// <summary>The part's next run after the given time, as Hangfire schedules it (a real SQLite job storage in a temp folder).</summary>
    private static DateTimeOffset? NextFire(CampaignPart part, DateTimeOffset after)
    {
        var folder = Directory.CreateTempSubdirectory("hangfire-").FullName;
        try
        {
            var storage = new SQLiteStorage(Path.Combine(folder, "jobs.db"), new SQLiteStorageOptions());
            // Hangfire schedules from one second before "now": now = after + 2 s makes the next run strictly after "after".
            var manager = new RecurringJobManager(storage, JobFilterProviders.Providers, new DefaultTimeZoneResolver(), () => after.UtcDateTime.AddSeconds(2));
            CampaignScheduler.Schedule(manager, CampaignScheduler.JobPrefix + part.Key, part);
            using var connection = storage.GetConnection();
            var next = connection.GetRecurringJobs().Single().NextExecution;
            storage.Dispose();
            return next is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void The_10_10_reminder_a_week_before_fires_at_8_in_Vietnam()
    {
        var parts = CampaignCalendar.Load(DataRoot());
        var weekBefore = parts.Single(p => p.Key == "ngay-chuyen-doi-so-quoc-gia.reminder-7");
        Assert.Equal(DateTimeOffset.Parse("2027-10-03T01:00:00Z"), NextFire(weekBefore, DateTimeOffset.Parse("2027-01-01T00:00:00Z")));
        var onTheDay = parts.Single(p => p.Key == "ngay-chuyen-doi-so-quoc-gia.reminder-0");
        Assert.Equal(DateTimeOffset.Parse("2027-10-10T01:00:00Z"), NextFire(onTheDay, DateTimeOffset.Parse("2027-10-03T01:00:00Z")));
        Assert.Contains("Mời bà con", onTheDay.Texts[0].Text);
        Assert.Contains("quét mã QR", onTheDay.Texts[0].ChannelTexts["zalo"]);
    }

    [Fact]
    public void Weekly_and_monthly_tips_fire_in_Vietnam_time_and_take_turns()
    {
        var parts = CampaignCalendar.Load(DataRoot());
        var weekly = parts.Single(p => p.Key == "meo-an-toan-hang-tuan.tips");
        // Sunday 2027-03-07 20:00 in Vietnam → Monday 2027-03-08 09:00 +07:00.
        Assert.Equal(DateTimeOffset.Parse("2027-03-08T02:00:00Z"), NextFire(weekly, DateTimeOffset.Parse("2027-03-07T13:00:00Z")));
        var monthly = parts.Single(p => p.Key == "binh-dan-hoc-vu-so-hang-thang.tips");
        Assert.Equal(DateTimeOffset.Parse("2027-04-05T01:30:00Z"), NextFire(monthly, DateTimeOffset.Parse("2027-03-05T01:30:00Z")));

        var thisWeek = weekly.TextFor(new DateOnly(2027, 3, 8));
        Assert.NotEqual(thisWeek, weekly.TextFor(new DateOnly(2027, 3, 15)));
        Assert.Equal(thisWeek, weekly.TextFor(new DateOnly(2027, 3, 8).AddDays(7 * weekly.Texts.Count)));
        Assert.NotEqual(monthly.TextFor(new DateOnly(2027, 3, 5)), monthly.TextFor(new DateOnly(2027, 4, 5)));
    }

    [Fact]
    public void A_broken_calendar_names_the_file_and_line()
    {
        var root = Directory.CreateTempSubdirectory("campaigns-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, CampaignCalendar.FileName), """
                timezone: Asia/Ho_Chi_Minh
                campaigns:
                  - id: ngay-hoi
                    title: Ngày hội
                    schedule:
                      yearly: "32/13"
                      time: "08:00"
                    reminders:
                      - daysBefore: 0
                        text: Hôm nay
                  - id: meo
                    schedule:
                      weekly: someday
                      time: "09:00"
                    tips:
                      - text: Mẹo
                """);
            var error = Assert.Throws<CampaignCalendarException>(() => CampaignCalendar.Load(root));
            Assert.Contains(error.Errors, e => e.StartsWith("campaigns.yaml:6:") && e.Contains("yearly"));
            Assert.Contains(error.Errors, e => e.StartsWith("campaigns.yaml:13:") && e.Contains("weekly"));

            File.WriteAllText(Path.Combine(root, CampaignCalendar.FileName), "campaigns:\n  - id: [unclosed\n");
            Assert.StartsWith("campaigns.yaml:", Assert.Throws<CampaignCalendarException>(() => CampaignCalendar.Load(root)).Errors[0]);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Theory]
    [InlineData("2027-03-08T22:30:00+07:00", "2027-03-09T07:00:00+07:00")]
    [InlineData("2027-03-08T21:00:00+07:00", "2027-03-09T07:00:00+07:00")]
    [InlineData("2027-03-09T06:59:00+07:00", "2027-03-09T07:00:00+07:00")]
    [InlineData("2027-03-09T07:00:00+07:00", "2027-03-09T07:00:00+07:00")]
    [InlineData("2027-03-09T12:00:00+07:00", "2027-03-09T12:00:00+07:00")]
    public void Quiet_hours_move_a_send_to_7_in_the_morning(string due, string allowed)
    {
        var quiet = QuietHours.Parse(null);
        Assert.Equal(DateTimeOffset.Parse(allowed), quiet.NextAllowed(DateTimeOffset.Parse(due)));
        Assert.False(QuietHours.Parse("").IsQuiet(DateTimeOffset.Parse("2027-03-08T23:00:00+07:00")));
        Assert.Equal(DateTimeOffset.Parse("2027-03-08T13:00:00+07:00"), QuietHours.Parse("12:00-13:00").NextAllowed(DateTimeOffset.Parse("2027-03-08T12:30:00+07:00")));
        Assert.Throws<StartupException>(() => QuietHours.Parse("nửa đêm"));
    }
}
