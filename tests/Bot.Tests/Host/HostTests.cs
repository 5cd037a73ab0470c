using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Bot.Storage;
using Bot.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Host;

public sealed class HostTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers();
    private const string ApiKey = "test-key-0123456789abcdef";

    [Theory, MemberData(nameof(Providers))]
    public async Task Health_and_web_chat_are_served(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var bot = await RunningBot.StartAsync(database);

        var health = await bot.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("\"database\":\"ok\"", await health.Content.ReadAsStringAsync());

        var page = await bot.Client.GetStringAsync("/");
        Assert.Contains("lang=\"vi\"", page);
        Assert.Contains("viewport", page);

        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.Client.GetAsync("/openapi/v1.json")).StatusCode); // staff only: see HttpSurfaceTests
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_served_bot_answers_with_the_shipped_answer_model(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var bot = await RunningBot.StartAsync(database);

        // The knowledge base is rebuilt from the shared store, yet ranks and judges confidence with data/answer-model.zip.
        var knowledge = bot.App.Services.GetRequiredService<Bot.Conversation.KnowledgeProvider>();
        Assert.Equal(Knowledge.Ranking.AnswerModelStatus.Loaded, knowledge.Current.ModelStatus);

        var answer = await bot.Client.PostAsJsonAsync("/api/ask", new { text = "thanh toán tiền điện bằng QR thế nào" });
        var body = await answer.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("\"faqId\":\"tt-tien-dien\"", body);
        Assert.Contains("\"answered\":true", body);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Admin_api_needs_a_key_or_a_staff_session_and_audits_sign_ins(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var bot = await RunningBot.StartAsync(database, $"--Admin:ApiKeys:0={ApiKey}");

        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.Client.GetAsync("/api/admin/me")).StatusCode);

        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/admin/me");
        forged.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.Client.SendAsync(forged)).StatusCode);

        using var keyed = new HttpRequestMessage(HttpMethod.Get, "/api/admin/me");
        keyed.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await bot.Client.SendAsync(keyed)).StatusCode);

        await using (var scope = bot.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            var account = new StaffAccount { UserName = "canbo.lan", DisplayName = "Chị Lan", PasswordHash = "", CreatedAt = DateTimeOffset.UtcNow };
            account.PasswordHash = new PasswordHasher<StaffAccount>().HashPassword(account, "mat-khau-dai-12");
            db.StaffAccounts.Add(account);
            await db.SaveChangesAsync();
        }

        var wrong = await bot.Client.PostAsJsonAsync("/api/admin/login", new { userName = "canbo.lan", password = "sai-mat-khau" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("Sai tên đăng nhập", await wrong.Content.ReadAsStringAsync());

        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = bot.BaseAddress };
        var login = await browser.PostAsJsonAsync("/api/admin/login", new { userName = "canbo.lan", password = "mat-khau-dai-12" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("canbo.lan", await browser.GetStringAsync("/api/admin/me"));

        await using (var scope = bot.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            var actions = await db.AuditEntries.OrderBy(a => a.Id).Select(a => a.Actor + ":" + a.Action).ToListAsync();
            Assert.Equal(["canbo.lan:login-failed", "canbo.lan:login"], actions);
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Malformed_login_body_gets_a_client_error_not_a_server_error(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var bot = await RunningBot.StartAsync(database);
        var response = await bot.Client.PostAsync("/api/admin/login", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
