using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bot.Admin.Analytics;
using Bot.Broadcasts;
using Bot.Storage;
using Bot.Tests.Broadcasts;
using Bot.Tests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace Bot.Tests.Console;

/// <summary>The analytics API and dashboard on seeded traffic, checked against counts made another way (LINQ, plain SQL).</summary>
[Collection(BrowserCollection.Name)]
public sealed class AnalyticsTests(ConsoleBrowser browser)
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers();
    private const string Password = "mat-khau-canbo-1";

    private static DateOnly VietnamDay(DateTimeOffset at) => DateOnly.FromDateTime(VietnamTime.ToLocal(at).DateTime);

    [Theory, MemberData(nameof(Providers))]
    public async Task Figures_are_counted_by_the_database_per_Vietnam_day_on_both_providers(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var bot = await RunningBot.StartAsync(database, $"--Admin:ApiKeys:0={BroadcastScenario.ApiKey}");
        using var staff = BroadcastScenario.StaffClient(bot.BaseAddress);
        var period = AnalyticsSeed.LastMonth();
        var turns = await bot.DbAsync(db => AnalyticsSeed.SeedAsync(db, period));
        var inside = turns.Where(t => t.CreatedAt >= period.Start && t.CreatedAt < period.End).ToList();
        Assert.Equal(turns.Count - 2, inside.Count); // the two edge turns outside

        var f = await staff.GetFromJsonAsync<JsonElement>($"/api/admin/analytics?from={period.From:yyyy-MM-dd}&to={period.To:yyyy-MM-dd}");
        var totals = f.GetProperty("totals");
        long Total(string name) => totals.GetProperty(name).GetInt64();
        Assert.Equal(inside.Count, Total("questions"));
        Assert.Equal(inside.Count(t => t.Answered), Total("answered"));
        Assert.Equal(inside.Count(t => t.HandedOver), Total("handedOver"));
        Assert.Equal(inside.Select(t => t.ResidentId).Distinct().Count(), Total("residentsServed"));
        Assert.Equal(inside.Count(t => t.Feedback == 1), Total("helpful"));
        Assert.Equal(inside.Count(t => t.Feedback == -1), Total("notHelpful"));
        var (start, end) = (period.Start, period.End);
        Assert.Equal(await bot.DbAsync(db => db.Handovers.CountAsync(h => h.CreatedAt >= start && h.CreatedAt < end
            && (h.Status == HandoverStatus.Answered || h.Status == HandoverStatus.Closed))), Total("handoversResolved"));
        Assert.Equal(1, Total("broadcasts"));
        Assert.Equal(4, Total("residentsReached"));
        Assert.Equal(8, Total("newSubscribers"));

        // Per Vietnam day: a turn at 23:59 belongs to that day, one at 00:00 to the next.
        var expected = inside.GroupBy(t => VietnamDay(t.CreatedAt)).ToDictionary(g => g.Key, g => g.Count());
        var daily = f.GetProperty("daily").EnumerateArray()
            .GroupBy(d => DateOnly.ParseExact(d.GetProperty("day").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.Sum(d => d.GetProperty("questions").GetInt64()));
        Assert.Equal(expected.OrderBy(e => e.Key).Select(e => (e.Key, (long)e.Value)), daily.OrderBy(d => d.Key).Select(d => (d.Key, d.Value)));
        Assert.Contains(period.To, daily.Keys);

        var top = f.GetProperty("topEntries").EnumerateArray().ToList();
        Assert.Equal(inside.Where(t => t.FaqId is not null).GroupBy(t => t.FaqId).Max(g => g.Count()), top[0].GetProperty("questions").GetInt64());
        Assert.Equal("vneid", top.Single(e => e.GetProperty("faqId").GetString() == "vneid-la-gi").GetProperty("topic").GetString());
        var topics = f.GetProperty("topics").EnumerateArray().ToDictionary(t => t.GetProperty("topic").GetString()!, t => t.GetProperty("questions").GetInt64());
        Assert.Equal(inside.Count(t => t.FaqId == "vneid-la-gi"), topics["vneid"]);
        // Both spellings of the unanswered question are one group.
        var unanswered = f.GetProperty("unanswered").EnumerateArray().ToList();
        Assert.Single(unanswered);
        Assert.Equal(inside.Count(t => !t.Answered), unanswered[0].GetProperty("count").GetInt64());

        var subscribers = f.GetProperty("subscribers").EnumerateArray().ToList();
        Assert.Equal(10, subscribers.Where(s => s.GetProperty("day").GetString() == $"{period.To:yyyy-MM-dd}").Sum(s => s.GetProperty("subscribers").GetInt64()));
        Assert.Equal(2, subscribers.Where(s => s.GetProperty("day").GetString() == $"{period.From:yyyy-MM-dd}").Sum(s => s.GetProperty("subscribers").GetInt64()));
        var byTopic = f.GetProperty("subscribersByTopic").EnumerateArray().ToList();
        Assert.Equal(10, byTopic.Where(s => s.GetProperty("topic").GetString() == "vneid").Sum(s => s.GetProperty("subscribers").GetInt64()));
        Assert.Equal(7, byTopic.Where(s => s.GetProperty("topic").GetString() == "thanh-toan").Sum(s => s.GetProperty("subscribers").GetInt64()));

        foreach (var chart in AnalyticsEndpoints.Charts)
        {
            var svg = await staff.GetAsync($"/api/admin/analytics/charts/{chart}.svg?from={period.From:yyyy-MM-dd}&to={period.To:yyyy-MM-dd}");
            Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
            Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
            Assert.StartsWith("<svg", await svg.Content.ReadAsStringAsync());
        }
        // A year goes by weeks; a bad period is refused in Vietnamese.
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/api/admin/analytics/charts/questions.svg?from={period.To.AddDays(-364):yyyy-MM-dd}&to={period.To:yyyy-MM-dd}")).StatusCode);
        var bad = await staff.GetAsync($"/api/admin/analytics?from={period.To:yyyy-MM-dd}&to={period.From:yyyy-MM-dd}");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Ngày kết thúc phải sau ngày bắt đầu", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.GetAsync("/api/admin/analytics?from=2026-13-01&to=2026-12-01")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync("/api/admin/analytics/charts/khong-co.svg")).StatusCode);
    }

    [BrowserFact]
    public async Task The_dashboard_shows_the_seeded_figures_a_direct_SQL_count_gives()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database);
        await ConsoleBrowser.CreateAccountAsync(bot, "canbo", Password, StaffRoles.Staff);
        var period = AnalyticsSeed.LastMonth();
        await bot.DbAsync(db => AnalyticsSeed.SeedAsync(db, period));

        var console = await browser.NewPageAsync(bot.BaseAddress);
        await ConsoleBrowser.SignInAsync(console, "canbo", Password);
        await console.ClickAsync("#nav a[data-view=analytics]");
        await Expect(console.Locator("#kpi-questions")).ToBeVisibleAsync();
        await console.SelectOptionAsync("#an-preset", "custom");
        await console.FillAsync("#an-from", $"{period.From:yyyy-MM-dd}");
        await console.FillAsync("#an-to", $"{period.To:yyyy-MM-dd}");
        await console.ClickAsync("#an-period button[type=submit]");
        await Expect(console.Locator("#an-caption")).ToContainTextAsync($"Từ {period.From:dd/MM/yyyy} đến {period.To:dd/MM/yyyy}");

        var sql = new Dictionary<string, string>
        {
            ["kpi-questions"] = "SELECT COUNT(*) FROM conversation_log WHERE created_at >= @from AND created_at < @to",
            ["kpi-answered"] = "SELECT COUNT(*) FROM conversation_log WHERE created_at >= @from AND created_at < @to AND answered = 1",
            ["kpi-handed-over"] = "SELECT COUNT(*) FROM conversation_log WHERE created_at >= @from AND created_at < @to AND handed_over = 1",
            ["kpi-residents"] = "SELECT COUNT(DISTINCT resident_id) FROM conversation_log WHERE created_at >= @from AND created_at < @to",
            ["kpi-resolved"] = "SELECT COUNT(*) FROM handovers WHERE created_at >= @from AND created_at < @to AND status IN ('answered', 'closed')",
            ["kpi-reached"] = "SELECT COUNT(DISTINCT d.resident_id) FROM broadcast_deliveries d JOIN broadcasts b ON b.id = d.broadcast_id " +
                              "WHERE b.started_at >= @from AND b.started_at < @to AND d.status = 'sent'",
        };
        var counted = new Dictionary<string, long>();
        foreach (var (id, query) in sql)
        {
            var count = await bot.DbAsync(async db =>
            {
                var connection = db.Database.GetDbConnection();
                await connection.OpenAsync();
                await using var command = DbCommands.Command(connection, null, query,
                    ("@from", StoredTimestamps.For(DatabaseProvider.Sqlite, period.Start)), ("@to", StoredTimestamps.For(DatabaseProvider.Sqlite, period.End)));
                return Convert.ToInt64(await command.ExecuteScalarAsync());
            });
            Assert.True(count > 0, $"{id}: nothing seeded");
            counted[id] = count;
            await Expect(console.Locator($"#{id}")).ToHaveTextAsync(count.ToString("#,0", CultureInfo.GetCultureInfo("vi-VN")));
        }
        await Expect(console.Locator("#an-unanswered tr")).ToHaveCountAsync(1);
        await Expect(console.Locator("#an-broadcasts")).ToContainTextAsync("Ngày Chuyển đổi số quốc gia");
        await Expect(console.Locator("#an-feedback")).ToContainTextAsync("VNeID");
        // Every chart loaded as an image drawn by the server.
        foreach (var chart in AnalyticsEndpoints.Charts)
            await console.WaitForFunctionAsync($"() => document.getElementById('an-chart-{chart}').naturalWidth > 0");
        await ConsoleBrowser.ScreenshotAsync(console, "analytics");

        // One click each: the Word report and the Excel tables hold the same figures, and open with the OpenXml SDK.
        string N(string id) => counted[id].ToString("#,0", CultureInfo.GetCultureInfo("vi-VN"));
        var docx = await DownloadAsync(console, "#an-docx", ".docx");
        using (var word = WordprocessingDocument.Open(docx, false))
        {
            var paragraphs = word.MainDocumentPart!.Document.Body!.Elements<Paragraph>().Select(p => p.InnerText).ToList();
            Assert.Contains($"(Từ ngày {period.From:dd/MM/yyyy} đến ngày {period.To:dd/MM/yyyy})", paragraphs);
            Assert.Contains($"Trong kỳ, trợ lý số đã phục vụ {N("kpi-residents")} người dân với {N("kpi-questions")} câu hỏi " +
                            "trên các kênh Zalo, Telegram và trang web của xã.", paragraphs);
            Assert.Contains(paragraphs, p => p.StartsWith($"Trợ lý số tự trả lời {N("kpi-answered")} câu hỏi") && p.Contains($"chuyển cho cán bộ {N("kpi-handed-over")} câu hỏi"));
            Assert.Contains(paragraphs, p => p.StartsWith($"Cán bộ đã xử lý {N("kpi-resolved")} câu hỏi"));
            Assert.Contains(paragraphs, p => p.Contains($"đến được {N("kpi-reached")} người dân"));
            var rows = word.MainDocumentPart.Document.Body.Descendants<TableRow>()
                .Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToList()).ToList();
            Assert.Contains(rows, r => r.SequenceEqual(["Tổng cộng", N("kpi-questions"), N("kpi-answered"), N("kpi-handed-over")]));
            Assert.Contains(rows, r => r.Count == 5 && r[1] == "Ngày Chuyển đổi số quốc gia (10/10)" && r[2] == "6" && r[3] == "4" && r[4] == "2");
            Assert.Contains(rows, r => r.Count == 3 && r[1] == AnalyticsSeed.Unanswered);
        }
        var xlsx = await DownloadAsync(console, "#an-xlsx", ".xlsx");
        using (var excel = SpreadsheetDocument.Open(xlsx, false))
        {
            var book = excel.WorkbookPart!;
            var names = book.Workbook.Descendants<Sheet>().Select(x => x.Name!.Value).ToList();
            Assert.Equal(["Tổng hợp", "Theo ngày", "Câu hỏi", "Chủ đề", "Chưa trả lời", "Đánh giá", "Người đăng ký", "Đăng ký theo chủ đề", "Tin thông báo"], names);
            List<List<string>> Rows(string name)
            {
                var sheet = book.Workbook.Descendants<Sheet>().Single(x => x.Name == name);
                return ((WorksheetPart)book.GetPartById(sheet.Id!)).Worksheet.Descendants<Row>()
                    .Select(r => r.Elements<Cell>().Select(c => c.InnerText).ToList()).ToList();
            }
            var summary = Rows("Tổng hợp").ToDictionary(r => r[0], r => r[1]);
            Assert.Equal(counted["kpi-questions"].ToString(), summary["Câu hỏi"]);
            Assert.Equal(counted["kpi-answered"].ToString(), summary["Bot trả lời"]);
            Assert.Equal(counted["kpi-handed-over"].ToString(), summary["Chuyển cán bộ"]);
            Assert.Equal(counted["kpi-residents"].ToString(), summary["Người dân được phục vụ"]);
            Assert.Equal(counted["kpi-resolved"].ToString(), summary["Cán bộ đã xử lý"]);
            Assert.Equal(counted["kpi-reached"].ToString(), summary["Người nhận được tin"]);
            Assert.Equal(counted["kpi-questions"], Rows("Theo ngày").Skip(1).Sum(r => long.Parse(r[2])));
        }
        Assert.Equal(2, await bot.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == "report-export")));

        await console.SetViewportSizeAsync(ConsoleBrowser.Phone.Width, ConsoleBrowser.Phone.Height);
        await ConsoleBrowser.ScreenshotAsync(console, "analytics");
    }

    private static async Task<string> DownloadAsync(Microsoft.Playwright.IPage page, string link, string extension)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync(link));
        Assert.EndsWith(extension, download.SuggestedFilename);
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}{extension}");
        await download.SaveAsAsync(path);
        return path;
    }
}
