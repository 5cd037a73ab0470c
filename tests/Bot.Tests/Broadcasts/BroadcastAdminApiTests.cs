using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bot.Broadcasts;
using Bot.Storage;
using Bot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Hangfire;

namespace Bot.Tests.Broadcasts;

public sealed class BroadcastAdminApiTests
{
    // "" must reach the binder as written: when the host chained a built configuration, which reads "" as missing,
    // the quiet hours stayed on, and every broadcast test run between 21:00 and 07:00 in Vietnam waited for the morning.
    [Theory]
    [InlineData("--Broadcasts:QuietHours=", "")]
    [InlineData("--Broadcasts:QuietHours=22:00-06:00", "22:00-06:00")]
    public async Task Quiet_hours_set_empty_are_off_and_set_otherwise_are_kept(string setting, string expected)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database, $"--Admin:ApiKeys:0={BroadcastScenario.ApiKey}", setting);
        using var staff = BroadcastScenario.StaffClient(bot.BaseAddress);

        var setup = await staff.GetFromJsonAsync<JsonObject>("/api/admin/broadcasts/setup");

        Assert.Equal(expected, setup!["quietHours"]!.GetValue<string>());
    }

    [Fact]
    public async Task Staff_plan_preview_and_cancel_broadcasts_with_Telegram_off_and_every_action_is_audited()
    {
        // Quiet hours from two to four hours from now (Vietnam time), whatever the hour the test runs at: a broadcast
        // sent now goes at once, one due tomorrow inside that window starts when it ends.
        var local = VietnamTime.ToLocal(DateTimeOffset.UtcNow);
        local = local.AddTicks(-(local.Ticks % TimeSpan.TicksPerMinute));
        var quiet = $"{local.AddHours(2):HH:mm}-{local.AddHours(4):HH:mm}";
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database, $"--Admin:ApiKeys:0={BroadcastScenario.ApiKey}", "--Commune:Name=xã Vĩnh Phong",
            $"--Broadcasts:QuietHours={quiet}");
        using var staff = BroadcastScenario.StaffClient(bot.BaseAddress);

        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.Client.PostAsJsonAsync("/api/admin/broadcasts", new { text = "x" })).StatusCode);
        async Task<string> Refused(object request)
        {
            var response = await staff.PostAsJsonAsync("/api/admin/broadcasts", request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>();
        }
        Assert.Contains("trống", await Refused(new { text = "  " }));
        Assert.Contains("chủ đề", await Refused(new { text = "Tin", topic = "khong-co" }));
        Assert.Contains("đã qua", await Refused(new { text = "Tin", sendAt = DateTimeOffset.UtcNow.AddHours(-1) }));
        Assert.Contains("quá", await Refused(new { text = new string('a', BroadcastOptions.MaxTextLength + 1) }));

        var preview = await (await staff.PostAsJsonAsync("/api/admin/broadcasts/preview", new { text = "Mời bà con đến UBND {commune.name}." }))
            .Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("Mời bà con đến UBND xã Vĩnh Phong.\n\nGõ /unsubscribe để thôi nhận tin.", preview!["text"]!.GetValue<string>());

        // Due tomorrow inside the quiet hours: Hangfire starts it when they end.
        var insideQuiet = local.AddDays(1).AddHours(3);
        var created = await staff.PostAsJsonAsync("/api/admin/broadcasts", new { text = "Họp dân tối mai.", topic = "vneid", sendAt = insideQuiet });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = body["id"]!.GetValue<long>();
        Assert.Contains("Kênh gửi của tin này đang tắt", body["warning"]!.GetValue<string>());
        var jobs = bot.App.Services.GetRequiredService<JobStorage>();
        Assert.Equal(local.AddDays(1).AddHours(4), BroadcastPlanner.ScheduledStart(jobs, id)!.Value.StartAt);

        var status = await BroadcastScenario.StatusAsync(staff, id);
        Assert.Equal("scheduled", status["status"]!.GetValue<string>());
        Assert.Equal(0, status["total"]!.GetValue<int>());
        Assert.Contains((await staff.GetFromJsonAsync<JsonArray>("/api/admin/broadcasts"))!, b => b!["id"]!.GetValue<long>() == id);

        var test = await staff.PostAsync($"/api/admin/broadcasts/{id}/test", null);
        Assert.Equal(HttpStatusCode.BadRequest, test.StatusCode);
        Assert.Contains("Broadcasts:TestChatIds", await test.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, (await staff.PostAsync($"/api/admin/broadcasts/{id}/cancel", null)).StatusCode);
        Assert.Equal("cancelled", (await BroadcastScenario.StatusAsync(staff, id))["status"]!.GetValue<string>());
        Assert.Null(BroadcastPlanner.ScheduledStart(jobs, id));
        Assert.Equal(HttpStatusCode.Conflict, (await staff.PostAsync($"/api/admin/broadcasts/{id}/cancel", null)).StatusCode);

        // Sent now with no channel switched on: stored, and done with nobody to deliver to.
        var now = await BroadcastScenario.CreateAsync(staff, new { text = "Tin gửi ngay.", channel = "telegram" });
        Assert.Equal(0, (await BroadcastScenario.WaitDoneAsync(staff, now))["total"]!.GetValue<int>());

        await using var scope = bot.App.Services.CreateAsyncScope();
        var actions = await scope.ServiceProvider.GetRequiredService<BotDbContext>().AuditEntries.Select(a => a.Action).ToListAsync();
        Assert.Contains("broadcast-create", actions);
        Assert.Contains("broadcast-preview", actions);
        Assert.Contains("broadcast-cancel", actions);
    }

    [Fact]
    public async Task Recipients_show_outcomes_without_unmasked_ids_and_test_sends_go_to_staff_chats()
    {
        await using var f = await Telegram.TelegramBotFixture.StartAsync("Webhook", DatabaseProvider.Sqlite,
            "--Broadcasts:QuietHours=", "--Broadcasts:TestChatIds=555001, 555002");
        await f.DbAsync(db => BroadcastScenario.SeedResidentsAsync(db, 912345678, 2));
        using var staff = BroadcastScenario.StaffClient(f.Bot.BaseAddress);
        var id = await BroadcastScenario.CreateAsync(staff, new { text = "Tin cho cán bộ xem trước." });
        await BroadcastScenario.WaitDoneAsync(staff, id);

        var test = await (await staff.PostAsync($"/api/admin/broadcasts/{id}/test", null)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(2, test!["sent"]!.GetValue<int>());
        Assert.Contains(f.Telegram.CallsTo("sendMessage"), c => c.ChatId == 555002 && c.Text!.StartsWith("[GỬI THỬ]"));

        var recipients = await staff.GetStringAsync($"/api/admin/broadcasts/{id}/recipients");
        Assert.DoesNotContain("912345678", recipients);
        Assert.Contains("******678", recipients);
        Assert.Contains("\"status\":\"sent\"", recipients);
    }
}
