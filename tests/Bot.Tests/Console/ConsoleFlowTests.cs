using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bot.Storage;
using Bot.Tests.Broadcasts;
using Bot.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Bot.Tests.Console;

/// <summary>The staff console in a real browser against the real host: what staff do, and what residents then read.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleFlowTests(ConsoleBrowser browser, ITestOutputHelper output)
{
    private const string Editor = "canbo";
    private const string Password = "mat-khau-canbo-1";
    private const string Hotline = "0299 3 888 999";
    private const string NewQuestion = "Sáng thứ bảy xã có tiếp dân làm giấy tờ không?";
    private const string FirstAnswer = "Sáng thứ bảy bộ phận một cửa của xã vẫn tiếp dân từ 7 giờ 30 đến 11 giờ. Việc gấp gọi {commune.hotline}.";
    private const string EditedAnswer = "Từ tháng này, sáng thứ bảy bộ phận một cửa tiếp dân từ 7 giờ đến 11 giờ 30.";

    [BrowserFact]
    public async Task Staff_create_an_entry_residents_are_answered_with_it_then_edit_and_revert_it()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database, $"--Commune:Hotline={Hotline}");
        await ConsoleBrowser.CreateAccountAsync(bot, Editor, Password, StaffRoles.Staff);
        var console = await browser.NewPageAsync(bot.BaseAddress);
        await ConsoleBrowser.SignInAsync(console, Editor, Password);
        await Expect(console.Locator("#faq-list .item").First).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(console, "faq-list");

        // Bad input: a message next to each field, and nothing typed is lost.
        await console.ClickAsync("#faq-new");
        await console.FillAsync("#faq-id", "Thu Bay");
        await console.FillAsync("#faq-question", NewQuestion);
        await console.ClickAsync("#faq-save");
        await Expect(console.Locator("#faq-form [data-error-for=id]")).ToContainTextAsync("chữ thường không dấu");
        await Expect(console.Locator("#faq-form [data-error-for=answer]")).ToContainTextAsync("Câu trả lời không được để trống");
        await Expect(console.Locator("#faq-id")).ToHaveValueAsync("Thu Bay");
        await Expect(console.Locator("#faq-question")).ToHaveValueAsync(NewQuestion);
        await ConsoleBrowser.ScreenshotAsync(console, "faq-errors");

        await console.FillAsync("#faq-id", "xa-tiep-dan-thu-bay");
        await console.SelectOptionAsync("#faq-entry-topic", "dich-vu-cong");
        await console.FillAsync("#faq-alternates", "thứ bảy xã có làm việc không\nsáng thứ 7 lên xã làm giấy tờ được không");
        await console.FillAsync("#faq-answer", FirstAnswer);
        await Expect(console.Locator("#faq-filled")).ToContainTextAsync(Hotline);

        // Try it before saving: the draft answers the resident's wording, the base as it is does not.
        await console.FillAsync("#faq-try-questions", "sáng thứ bảy xã có tiếp dân không");
        await console.ClickAsync("#faq-try-form button[type=submit]");
        await Expect(console.Locator("#faq-try-results tr.hit")).ToContainTextAsync("sáng thứ bảy xã có tiếp dân không");
        await ConsoleBrowser.ScreenshotAsync(console, "faq-try");

        await SaveAsync(console, "POST");

        var chat = await browser.NewPageAsync(bot.BaseAddress);
        await chat.GotoAsync("/");
        await AskInChatAsync(chat, "sáng thứ bảy xã có tiếp dân không", "bộ phận một cửa của xã vẫn tiếp dân từ 7 giờ 30");
        await Expect(chat.Locator(".msg.bot").Last).ToContainTextAsync(Hotline);
        await ConsoleBrowser.ScreenshotAsync(chat, "webchat-answer");

        await console.FillAsync("#faq-answer", EditedAnswer);
        await SaveAsync(console, "PUT");
        await AskInChatAsync(chat, "sáng thứ bảy xã có tiếp dân không", "tiếp dân từ 7 giờ đến 11 giờ 30");

        // History: newest first; undoing the edit brings the first answer back for residents.
        var lastChange = console.Locator("#faq-history li").First;
        await Expect(lastChange).ToContainTextAsync($"{Editor}: sửa");
        await lastChange.Locator("summary").ClickAsync();
        await Expect(lastChange.Locator(".before")).ToContainTextAsync("tiếp dân từ 7 giờ 30 đến 11 giờ");
        await Expect(lastChange.Locator(".after")).ToContainTextAsync(EditedAnswer);
        await ConsoleBrowser.ScreenshotAsync(console, "faq-history");
        await lastChange.GetByRole(AriaRole.Button, new() { Name = "Hoàn tác thay đổi này" }).ClickAsync();
        await Expect(console.Locator("#toast")).ToContainTextAsync("Đã hoàn tác");
        await Expect(console.Locator("#faq-answer")).ToHaveValueAsync(FirstAnswer);
        await AskInChatAsync(chat, "sáng thứ bảy xã có tiếp dân không", "bộ phận một cửa của xã vẫn tiếp dân từ 7 giờ 30");

        await console.SetViewportSizeAsync(ConsoleBrowser.Phone.Width, ConsoleBrowser.Phone.Height);
        await ConsoleBrowser.ScreenshotAsync(console, "faq-editor");
        await console.ClickAsync("#faq-editor .back");
        await ConsoleBrowser.ScreenshotAsync(console, "faq-list");
    }

    [BrowserFact]
    public async Task An_uploaded_seed_plan_is_cited_in_the_web_chat()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database);
        await ConsoleBrowser.CreateAccountAsync(bot, Editor, Password, StaffRoles.Staff);
        var console = await browser.NewPageAsync(bot.BaseAddress);
        await ConsoleBrowser.SignInAsync(console, Editor, Password);
        await console.ClickAsync("#nav a[data-view=documents]");

        await console.ClickAsync("#doc-upload-form button[type=submit]");
        await Expect(console.Locator("#doc-upload-form [data-error-for=file]")).ToContainTextAsync("Chọn một tệp");

        await console.SetInputFilesAsync("#doc-file", Path.Combine(AppContext.BaseDirectory, "Fixtures", "seeds", "vinh-phong-52.txt"));
        await console.ClickAsync("#doc-upload-form button[type=submit]");
        await Expect(console.Locator("#doc-progress-text")).ToContainTextAsync("Xong");
        await Expect(console.Locator("#doc-title")).ToContainTextAsync("Kế hoạch số 52/KH-UBND");
        await Expect(console.Locator("#doc-passages .citation").First).ToContainTextAsync("Kế hoạch số 52/KH-UBND");
        const string question = "Kinh phí thực hiện kế hoạch này lấy từ đâu?";
        await console.FillAsync("#doc-search", question);
        await console.ClickAsync("#doc-search-form button[type=submit]");
        await Expect(console.Locator("#doc-search-results .citation").First).ToContainTextAsync("Kế hoạch số 52/KH-UBND");
        await ConsoleBrowser.ScreenshotAsync(console, "documents");

        var chat = await browser.NewPageAsync(bot.BaseAddress);
        await chat.GotoAsync("/");
        await AskInChatAsync(chat, question, "Nguồn: Kế hoạch số 52/KH-UBND");

        await console.SetViewportSizeAsync(ConsoleBrowser.Phone.Width, ConsoleBrowser.Phone.Height);
        await ConsoleBrowser.ScreenshotAsync(console, "documents");
        await console.ClickAsync("#doc-detail .back");
        await ConsoleBrowser.ScreenshotAsync(console, "documents-list");
    }

    [BrowserFact]
    public async Task Staff_reply_reaches_the_residents_web_chat_and_teaching_answers_the_question_next_time()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database);
        await ConsoleBrowser.CreateAccountAsync(bot, Editor, Password, StaffRoles.Staff);
        const string gap = "Máy cày của hợp tác xã cho thuê giá bao nhiêu?";
        var resident = await browser.NewPageAsync(bot.BaseAddress);
        await resident.GotoAsync("/");
        await AskInChatAsync(resident, gap, "chuyển cho cán bộ");
        var neighbour = await browser.NewPageAsync(bot.BaseAddress);
        await neighbour.GotoAsync("/");
        await AskInChatAsync(neighbour, "may cay cua hop tac xa cho thue gia bao nhieu", "chuyển cho cán bộ");

        var console = await browser.NewPageAsync(bot.BaseAddress);
        await ConsoleBrowser.SignInAsync(console, Editor, Password);
        await console.ClickAsync("#nav a[data-view=inbox]");
        var group = console.Locator("#inbox-list .item", new() { HasText = "Máy cày" });
        await Expect(group).ToContainTextAsync("2 người hỏi");
        await ConsoleBrowser.ScreenshotAsync(console, "inbox");
        await group.ClickAsync();
        await Expect(console.Locator("#inbox-turns")).ToContainTextAsync("Bot chuyển cho cán bộ");

        await console.ClickAsync("#inbox-reply-form button[type=submit]");
        await Expect(console.Locator("#inbox-reply-form [data-error-for=text]")).ToContainTextAsync("Nhập nội dung trả lời");
        await console.FillAsync("#inbox-reply", "Hợp tác xã cho thuê máy cày 300.000 đồng một sào, bà con đăng ký tại văn phòng hợp tác xã.");
        await console.ClickAsync("#inbox-reply-form button[type=submit]");
        await Expect(console.Locator("#toast")).ToContainTextAsync("Đã gửi trả lời cho 2 người dân");
        // The web chat fetches staff replies every 15 s.
        await Expect(resident.Locator(".msg.bot", new() { HasText = "Cán bộ xã trả lời" }))
            .ToContainTextAsync("300.000 đồng một sào", new() { Timeout = 40_000 });
        await console.SelectOptionAsync("#inbox-status", "answered");
        await console.Locator("#inbox-list .item", new() { HasText = "Máy cày" }).ClickAsync();
        await Expect(console.Locator("#inbox-replies .tag.ok").First).ToContainTextAsync("đã đến người dân", new() { Timeout = 20_000 });
        await ConsoleBrowser.ScreenshotAsync(console, "inbox-answered");

        // Teach: the question becomes another wording of the entry staff pick, in two clicks.
        const string unanswered = "bà nội già không biết chữ muốn dùng VNeID";
        await AskInChatAsync(resident, unanswered, "chuyển cho cán bộ");
        await console.SelectOptionAsync("#inbox-status", "open");
        await console.Locator("#inbox-list .item", new() { HasText = "bà nội già không biết chữ" }).ClickAsync();
        var suggestion = console.Locator("#inbox-suggestions li", new() { HasText = "bố mẹ già" });
        await Expect(suggestion).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(console, "inbox-teach");
        await suggestion.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(console.Locator("#toast")).ToContainTextAsync("Đã dạy bot");

        var answer = await bot.Client.PostAsJsonAsync("/api/ask", new { text = unanswered });
        var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("vneid-giup-nguoi-cao-tuoi", json.GetProperty("faqId").GetString());
        var firstLine = json.GetProperty("answer").GetString()!.Replace("*", "").Split('\n')[0];
        var firstWords = Regex.Replace(firstLine, @"^\s*(\d+\.|[-•])\s+", "");
        await AskInChatAsync(resident, unanswered, firstWords[..Math.Min(40, firstWords.Length)]);

        await console.SetViewportSizeAsync(ConsoleBrowser.Phone.Width, ConsoleBrowser.Phone.Height);
        await ConsoleBrowser.ScreenshotAsync(console, "inbox-teach");
        await console.ClickAsync("#inbox-detail .back");
        await ConsoleBrowser.ScreenshotAsync(console, "inbox");
    }

    [BrowserFact]
    public async Task Admins_manage_accounts_and_browse_the_audit_log_editors_cannot()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database);
        await ConsoleBrowser.CreateAccountAsync(bot, "quantri", Password, StaffRoles.Admin);
        var console = await browser.NewPageAsync(bot.BaseAddress);
        await ConsoleBrowser.SignInAsync(console, "quantri", Password);
        await console.ClickAsync("#nav a[data-view=accounts]");
        await console.FillAsync("#account-user", "Cán Bộ");
        await console.FillAsync("#account-name", "Lê Thị Hoa");
        await console.FillAsync("#account-password", "ngan");
        await console.ClickAsync("#account-form button[type=submit]");
        await Expect(console.Locator("#account-form [data-error-for=userName]")).ToContainTextAsync("chữ thường không dấu");
        await Expect(console.Locator("#account-form [data-error-for=password]")).ToContainTextAsync("ít nhất 10 ký tự");
        await Expect(console.Locator("#account-name")).ToHaveValueAsync("Lê Thị Hoa");
        await ConsoleBrowser.ScreenshotAsync(console, "accounts-errors");
        await console.FillAsync("#account-user", "lethihoa");
        await console.FillAsync("#account-password", "mat-khau-hoa-1");
        await console.ClickAsync("#account-form button[type=submit]");
        await Expect(console.Locator("#account-rows")).ToContainTextAsync("Lê Thị Hoa");
        await console.Locator("#account-rows tr", new() { HasText = "lethihoa" }).GetByRole(AriaRole.Button, new() { Name = "Khoá" }).ClickAsync();
        await Expect(console.Locator("#account-rows tr", new() { HasText = "lethihoa" })).ToContainTextAsync("đã khoá");
        await ConsoleBrowser.ScreenshotAsync(console, "accounts");

        await console.ClickAsync("#nav a[data-view=audit]");
        await Expect(console.Locator("#audit-rows")).ToContainTextAsync("khoá tài khoản");
        await console.SelectOptionAsync("#audit-action", "staff-add");
        await console.ClickAsync("#audit-filter button[type=submit]");
        await Expect(console.Locator("#audit-rows tr")).ToHaveCountAsync(1);
        await ConsoleBrowser.ScreenshotAsync(console, "audit");
        await console.SetViewportSizeAsync(ConsoleBrowser.Phone.Width, ConsoleBrowser.Phone.Height);
        await ConsoleBrowser.ScreenshotAsync(console, "audit");
        await console.ClickAsync("#nav a[data-view=accounts]");
        await Expect(console.Locator("#account-rows")).ToContainTextAsync("lethihoa");
        await ConsoleBrowser.ScreenshotAsync(console, "accounts");

        // A disabled account cannot sign in; an editor sees no admin pages.
        var other = await browser.NewPageAsync(bot.BaseAddress, ConsoleBrowser.Phone);
        await other.GotoAsync("/admin");
        await ConsoleBrowser.ScreenshotAsync(other, "login");
        await other.FillAsync("#login-user", "lethihoa");
        await other.FillAsync("#login-password", "mat-khau-hoa-1");
        await other.ClickAsync("#login-form button[type=submit]");
        await Expect(other.Locator("#login-form .form-error")).ToContainTextAsync("Sai tên đăng nhập hoặc mật khẩu");
        await ConsoleBrowser.CreateAccountAsync(bot, Editor, Password, StaffRoles.Staff);
        await ConsoleBrowser.SignInAsync(other, Editor, Password);
        await Expect(other.Locator("#nav a[data-view=accounts]")).ToBeHiddenAsync();
    }

    /// <summary>Two nodes share one PostgreSQL database: an edit made on one answers residents on the other within 5 s.</summary>
    [BrowserFact]
    public async Task An_edit_on_one_node_answers_on_the_other_within_five_seconds_on_PostgreSQL()
    {
        if (TestDatabase.PostgresAdmin is null)
        {
            Assert.False(Environment.GetEnvironmentVariable("BOT_REQUIRE_POSTGRES") == "1", "BOT_REQUIRE_POSTGRES=1 but no PostgreSQL");
            return; // SQLite-only run: test.sh says so when it cannot start PostgreSQL
        }
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var nodeA = await RunningBot.StartAsync(database);
        using var nodeB = await BotProcess.StartAsync(BotProcess.FreePort(), [.. database.Args, "--Telegram:Mode=Off"]);
        using var clientB = new HttpClient { BaseAddress = nodeB.BaseAddress };
        await ConsoleBrowser.CreateAccountAsync(nodeA, Editor, Password, StaffRoles.Staff);
        var console = await browser.NewPageAsync(nodeA.BaseAddress);
        await ConsoleBrowser.SignInAsync(console, Editor, Password);
        await console.FillAsync("#faq-search", "vneid la gi");
        await console.Locator("#faq-list .item[data-id=vneid-la-gi]").ClickAsync();
        await Expect(console.Locator("#faq-id")).ToHaveValueAsync("vneid-la-gi");
        const string marker = "Bản sửa trên máy chủ thứ nhất: VNeID là ứng dụng định danh điện tử của Bộ Công an.";
        await console.FillAsync("#faq-answer", marker);
        await SaveAsync(console, "PUT");
        var saved = Stopwatch.StartNew();

        string? seen = null;
        while (saved.Elapsed < TimeSpan.FromSeconds(5))
        {
            var response = await clientB.PostAsJsonAsync("/api/ask", new { text = "VNeID là gì, dùng để làm gì?" });
            seen = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("answer").GetString();
            if (seen == marker) break;
            await Task.Delay(200);
        }
        output.WriteLine($"node B answered with the edit {saved.Elapsed.TotalMilliseconds:F0} ms after node A saved it");
        Assert.Equal(marker, seen);
        Assert.True(saved.Elapsed < TimeSpan.FromSeconds(5), $"node B answered with the edit after {saved.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Clicks Save and waits for the store's answer (the toast of an earlier save may still show).</summary>
    private static async Task SaveAsync(IPage console, string method)
    {
        var response = await console.RunAndWaitForResponseAsync(() => console.ClickAsync("#faq-save"),
            r => r.Url.Contains("/api/admin/faq/entries") && r.Request.Method == method);
        Assert.True(response.Ok, $"saving answered {response.Status}: {await response.TextAsync()}");
        await Expect(console.Locator("#toast")).ToContainTextAsync("Đã lưu");
    }

    /// <summary>Types the question in the web chat and waits for the newest bot message to contain the expected text.</summary>
    private static async Task AskInChatAsync(IPage chat, string question, string expected)
    {
        await Expect(chat.Locator(".msg.bot").First).ToBeVisibleAsync(); // the greeting
        var before = await chat.Locator(".msg.bot").CountAsync();
        await chat.FillAsync("#text", question);
        await chat.PressAsync("#text", "Enter");
        await Expect(chat.Locator(".msg.bot").Nth(before)).ToContainTextAsync(expected);
    }
}
