using System.Net;
using System.Net.Http.Json;
using Bot.Storage;
using Bot.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Broadcasts;

public sealed class JobDashboardTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers();

    [Theory, MemberData(nameof(Providers))]
    public async Task The_job_dashboard_is_for_admin_staff_only(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var bot = await RunningBot.StartAsync(database, $"--Admin:ApiKeys:0={BroadcastScenario.ApiKey}");
        await using (var scope = bot.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            foreach (var (name, role) in new[] { ("canbo.lan", StaffRoles.Staff), ("quantri.hung", StaffRoles.Admin) })
            {
                var account = new StaffAccount { UserName = name, DisplayName = name, Role = role, PasswordHash = "", CreatedAt = DateTimeOffset.UtcNow };
                account.PasswordHash = new PasswordHasher<StaffAccount>().HashPassword(account, "mat-khau-dai-12");
                db.StaffAccounts.Add(account);
            }
            await db.SaveChangesAsync();
        }
        async Task<HttpClient> SignedIn(string userName)
        {
            var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = bot.BaseAddress };
            Assert.Equal(HttpStatusCode.OK, (await browser.PostAsJsonAsync("/api/admin/login", new { userName, password = "mat-khau-dai-12" })).StatusCode);
            return browser;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.Client.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.Client.GetAsync("/hangfire/jobs/scheduled")).StatusCode);
        using var staff = await SignedIn("canbo.lan");
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync("/hangfire/recurring")).StatusCode);

        using var admin = await SignedIn("quantri.hung");
        var recurring = await admin.GetStringAsync("/hangfire/recurring");
        Assert.Contains("campaign:ngay-chuyen-doi-so-quoc-gia.reminder-0", recurring); // the calendar's jobs, from data/campaigns.yaml
        using var keyed = BroadcastScenario.StaffClient(bot.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync("/hangfire/jobs/scheduled")).StatusCode);
    }
}
