using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Channels;
using Bot.Storage;
using Bot.Tests.Fakes;
using Bot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.ZaloOa;

public sealed class ZaloOaTests
{
    private const string AppId = FakeZaloOaServer.AppId;
    private const string OaSecretKey = FakeZaloOaServer.OaSecretKey;
    private const string ApiKey = "staff-key-0123456789abcdef";

    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers();

    private sealed class Fixture(TestDatabase database, FakeZaloOaServer zalo, RunningBot bot) : IAsyncDisposable
    {
        public TestDatabase Database => database;
        public FakeZaloOaServer Zalo => zalo;
        public RunningBot Bot => bot;

        public Task<T> DbAsync<T>(Func<BotDbContext, Task<T>> query) => bot.DbAsync(query);

        public Task<Resident> ResidentAsync(string userId) => bot.ResidentAsync(ChannelIds.Zalo, userId);

        public async ValueTask DisposeAsync()
        {
            await bot.DisposeAsync();
            await zalo.DisposeAsync();
            await database.DisposeAsync();
        }
    }

    private static async Task<Fixture> StartAsync(DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var zalo = await FakeZaloOaServer.StartAsync();
        return new Fixture(database, zalo, await StartNodeAsync(database, zalo));
    }

    private static Task<RunningBot> StartNodeAsync(TestDatabase database, FakeZaloOaServer zalo) =>
        RunningBot.StartAsync(database, [.. zalo.BotArgs, $"--Admin:ApiKeys:0={ApiKey}", "--Commune:Name=xã Vĩnh Phong", "--Broadcasts:QuietHours="]);

    private static long nextMessage = 7_000_000;

    private static JsonObject Event(string eventName, string userId, string? text = null, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds().ToString();
        var e = new JsonObject { ["app_id"] = AppId, ["oa_id"] = "3662729599332560487", ["event_name"] = eventName, ["timestamp"] = timestamp };
        if (eventName is "follow" or "unfollow")
        {
            e["follower"] = new JsonObject { ["id"] = userId };
            e["source"] = "oa_profile";
        }
        else
        {
            e["sender"] = new JsonObject { ["id"] = userId };
            e["recipient"] = new JsonObject { ["id"] = "3662729599332560487" };
            e["message"] = new JsonObject { ["msg_id"] = "msg" + Interlocked.Increment(ref nextMessage) };
            if (text is not null) e["message"]!["text"] = text;
        }
        return e;
    }

    private static string Mac(string body, string timestamp, string key = OaSecretKey) =>
        "mac=" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(AppId + body + timestamp + key)));

    private static Task<HttpStatusCode> PostAsync(Fixture f, JsonObject oaEvent, string? signature = null, string? rawBody = null) =>
        PostAsync(f.Bot, oaEvent, signature, rawBody);

    private static async Task<HttpStatusCode> PostAsync(RunningBot node, JsonObject oaEvent, string? signature = null, string? rawBody = null)
    {
        var body = rawBody ?? oaEvent.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/zalo-oa") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-ZEvent-Signature", signature ?? Mac(body, oaEvent["timestamp"]!.GetValue<string>()));
        return (await node.Client.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task From_follow_to_answer_to_staff_reply_with_numbered_choices_media_and_unfollow()
    {
        await using var f = await StartAsync();
        const string user = "6142494823000000001";

        Assert.Equal(HttpStatusCode.OK, await PostAsync(f, Event("follow", user)));
        var welcome = await f.Zalo.NthMessageToAsync(user, 1);
        Assert.Equal(FakeZaloOaServer.AccessToken, welcome.AccessToken);
        Assert.Contains("Xin chào", welcome.Text);
        Assert.Contains("/subscribe", welcome.Text);
        var menu = (await f.ResidentAsync(user)).OfferedChoices!.Split('\n');
        var vneid = Array.IndexOf(menu, "t:vneid") + 1;
        Assert.Contains($"\n{vneid}. ", welcome.Text);
        // The topic menu as the OA's buttons too: a tap sends the choice's number, answered like a typed one.
        Assert.Equal(Enumerable.Range(1, menu.Length).Select(n => ("oa.query.show", n.ToString())), welcome.Buttons.Select(b => (b.Type, b.Payload)));
        Assert.Contains("VNeID", welcome.Buttons[vneid - 1].Title);

        Assert.Equal(HttpStatusCode.OK, await PostAsync(f, Event("user_send_text", user, "/subscribe")));
        await f.Zalo.NthMessageToAsync(user, 2);
        Assert.True((await f.ResidentAsync(user)).Subscribed);

        Assert.Equal(HttpStatusCode.OK, await PostAsync(f, Event("user_send_text", user, "quen mat khau vneid thi lam sao")));
        var answer = await f.Zalo.NthMessageToAsync(user, 3);
        Assert.DoesNotContain("**", answer.Text);
        Assert.Equal("vneid-quen-mat-khau", (await f.DbAsync(db => db.ConversationTurns.OrderBy(t => t.Id).LastAsync())).FaqId);
        var related = (await f.ResidentAsync(user)).OfferedChoices!.Split('\n')[0];
        Assert.StartsWith("q:", related);
        Assert.StartsWith("❓ ", answer.Buttons[0].Title);
        Assert.Equal("1", answer.Buttons[0].Payload);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(f, Event("user_send_text", user, "1")));
        await f.Zalo.NthMessageToAsync(user, 4);
        Assert.Equal(related[2..], (await f.DbAsync(db => db.ConversationTurns.OrderBy(t => t.Id).LastAsync())).FaqId);

        Assert.Equal(HttpStatusCode.OK, await PostAsync(f, Event("user_send_sticker", user)));
        Assert.Contains("tin nhắn chữ", (await f.Zalo.NthMessageToAsync(user, 5)).Text);

        Assert.Equal(HttpStatusCode.OK, await PostAsync(f, Event("user_send_text", user, "giá vàng hôm nay bao nhiêu")));
        Assert.Contains("chuyển cho cán bộ", (await f.Zalo.NthMessageToAsync(user, 6)).Text);
        var handover = await f.DbAsync(db => db.Handovers.SingleAsync());
        Assert.Equal("zalo", handover.Channel);
        using var reply = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/handovers/{handover.Id}/reply")
        {
            Content = JsonContent.Create(new { text = "Chào bác, giá vàng bác xem trên báo điện tử ạ." }),
        };
        reply.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await f.Bot.Client.SendAsync(reply)).StatusCode);
        var delivered = await f.Zalo.NthMessageToAsync(user, 7);
        Assert.Contains("Cán bộ xã trả lời", delivered.Text);
        Assert.Contains("giá vàng bác xem", delivered.Text);

        Assert.Equal(HttpStatusCode.OK, await PostAsync(f, Event("unfollow", user)));
        await Eventually.WaitUntilAsync(async () => !(await f.ResidentAsync(user)).Subscribed);
        Assert.Equal(7, f.Zalo.Calls.Count(c => c.UserId == user));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_retried_event_is_answered_once(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        var oaEvent = Event("user_send_text", "6142494823000000002", "Làm sao để cài ứng dụng VNeID?");

        var first = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostAsync(f, oaEvent)));
        Assert.All(first, s => Assert.Equal(HttpStatusCode.OK, s));
        await f.Zalo.NthMessageToAsync("6142494823000000002", 1);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(f, oaEvent));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(f, Event("user_send_text", "6142494823000000002", "/help")));
        await f.Zalo.NthMessageToAsync("6142494823000000002", 2);

        Assert.Equal(2, f.Zalo.Calls.Count);
        Assert.Equal(1, await f.DbAsync(db => db.ConversationTurns.CountAsync()));
    }

    [Fact]
    public async Task A_forged_stale_or_unsigned_event_is_refused_and_nothing_is_stored()
    {
        await using var f = await StartAsync();
        var oaEvent = Event("user_send_text", "6142494823000000003", "quên mật khẩu");
        var body = oaEvent.ToJsonString();
        var timestamp = oaEvent["timestamp"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(f, oaEvent, Mac(body, timestamp, key: "not-the-oa-secret-key")));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(f, oaEvent, Mac(body, timestamp), rawBody: body.Replace("6142494823000000003", "6142494823000000004")));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(f, oaEvent, "mac=zz"));
        var stale = Event("user_send_text", "6142494823000000003", "quên mật khẩu", DateTimeOffset.UtcNow.AddHours(-2));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(f, stale));
        using (var unsigned = new HttpRequestMessage(HttpMethod.Post, "/webhooks/zalo-oa") { Content = new StringContent(body, Encoding.UTF8, "application/json") })
            Assert.Equal(HttpStatusCode.Unauthorized, (await f.Bot.Client.SendAsync(unsigned)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(f, oaEvent, Mac("{", timestamp), rawBody: "{"));

        Assert.Equal(0, await f.DbAsync(db => db.InboundUpdates.CountAsync()));
        Assert.Empty(f.Zalo.Calls);
    }

    [Fact]
    public async Task An_expired_access_token_is_refreshed_once_stored_and_the_send_retried()
    {
        await using var f = await StartAsync();
        const string user = "6142494823000000010";
        Assert.Equal(HttpStatusCode.OK, await PostAsync(f, Event("user_send_text", user, "/help")));
        await f.Zalo.NthMessageToAsync(user, 1);

        f.Zalo.ExpireAccessToken();
        Assert.Equal(HttpStatusCode.OK, await PostAsync(f, Event("user_send_text", user, "/lienhe")));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(f, Event("user_send_text", user, "/menu")));
        await f.Zalo.NthMessageToAsync(user, 3);

        Assert.Equal((1, 1), (f.Zalo.RefreshAttempts, f.Zalo.Refreshes));
        Assert.Equal([0, -216, 0, 0], f.Zalo.Calls.Select(c => c.Error));
        var stored = await f.DbAsync(db => db.ZaloOaTokens.SingleAsync());
        Assert.Equal(f.Zalo.Calls[^1].AccessToken, stored.AccessToken);
        Assert.StartsWith("oa-refresh-1-", stored.RefreshToken);
        Assert.Null(stored.RefreshingUntil);
        Assert.True(stored.AccessExpiresAt > DateTimeOffset.UtcNow.AddHours(24));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Two_nodes_meeting_an_expired_token_at_once_spend_the_refresh_token_once(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        await using var second = await StartNodeAsync(f.Database, f.Zalo);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(f, Event("user_send_text", "6142494823000000020", "/help")));
        await f.Zalo.NthMessageToAsync("6142494823000000020", 1);

        f.Zalo.ExpireAccessToken();
        f.Zalo.RefreshDelay = TimeSpan.FromMilliseconds(500);
        var users = Enumerable.Range(21, 6).Select(i => $"61424948230000000{i}").ToList();
        var posted = await Task.WhenAll(users.Select((u, i) => PostAsync(i % 2 == 0 ? f.Bot : second, Event("user_send_text", u, "/help"))));
        Assert.All(posted, s => Assert.Equal(HttpStatusCode.OK, s));
        foreach (var u in users) await f.Zalo.NthMessageToAsync(u, 1);

        // One refresh asked for across both nodes: the single-use refresh token was never presented twice.
        Assert.Equal((1, 1), (f.Zalo.RefreshAttempts, f.Zalo.Refreshes));
        Assert.Equal(7, f.Zalo.Calls.Count(c => c.Error == 0));
    }

    [Fact]
    public async Task A_residents_message_opens_the_free_window_and_every_message_sent_in_it_is_counted()
    {
        await using var f = await StartAsync();
        const string user = "6142494823000000030";
        var wroteAt = DateTimeOffset.UtcNow.AddMinutes(-3);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(f, Event("follow", user)));
        await f.Zalo.NthMessageToAsync(user, 1);
        Assert.Null((await f.ResidentAsync(user)).LastInboundAt); // following is not writing

        Assert.Equal(HttpStatusCode.OK, await PostAsync(f, Event("user_send_text", user, "/subscribe", wroteAt)));
        await f.Zalo.NthMessageToAsync(user, 2);
        await Eventually.WaitUntilAsync(async () => (await f.ResidentAsync(user)) is { LastInboundAt: not null, WindowMessages: 1 });
        var resident = await f.ResidentAsync(user);
        Assert.InRange(resident.LastInboundAt!.Value, wroteAt.AddSeconds(-1), wroteAt.AddSeconds(1));

        using var staff = Broadcasts.BroadcastScenario.StaffClient(f.Bot.BaseAddress);
        var id = await Broadcasts.BroadcastScenario.CreateAsync(staff, new { text = "Lịch tiếp dân tuần này.", channel = "zalo" });
        var status = await Broadcasts.BroadcastScenario.WaitDoneAsync(staff, id);
        Assert.Equal(1, status["sent"]!.GetValue<int>());
        Assert.EndsWith(Bot.Broadcasts.BroadcastText.Footer, (await f.Zalo.NthMessageToAsync(user, 3)).Text);
        Assert.Equal(2, (await f.ResidentAsync(user)).WindowMessages);
    }

    [Fact]
    public async Task A_failed_token_refresh_shows_in_healthz_and_the_channel_status_and_a_refresh_token_near_its_end_is_renewed()
    {
        await using var f = await StartAsync();
        const string user = "6142494823000000040";
        Assert.Equal(HttpStatusCode.OK, await PostAsync(f, Event("user_send_text", user, "/help")));
        await f.Zalo.NthMessageToAsync(user, 1);
        var healthy = await f.Bot.Client.GetFromJsonAsync<JsonObject>("/healthz");
        Assert.Equal(("ok", "ok"), (healthy!["status"]!.GetValue<string>(), healthy["zaloOa"]!["token"]!.GetValue<string>()));

        f.Zalo.RevokeRefreshToken();
        f.Zalo.ExpireAccessToken();
        Assert.Equal(HttpStatusCode.OK, await PostAsync(f, Event("user_send_text", user, "/lienhe")));
        await Eventually.WaitUntilAsync(async () => (await f.DbAsync(db => db.ZaloOaTokens.SingleAsync())).RefreshFailedAt is not null);

        using var health = await f.Bot.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode); // the node still serves every other channel
        var degraded = await health.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(("degraded", "refresh-failed"), (degraded!["status"]!.GetValue<string>(), degraded["zaloOa"]!["token"]!.GetValue<string>()));
        Assert.Contains("-14014", degraded["zaloOa"]!["refreshError"]!.GetValue<string>());
        using var status = new HttpRequestMessage(HttpMethod.Get, "/api/admin/channels");
        status.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        var channels = (await (await f.Bot.Client.SendAsync(status)).Content.ReadFromJsonAsync<JsonArray>())!;
        var zalo = channels.Single(c => c!["channel"]!.GetValue<string>() == ChannelIds.Zalo)!;
        Assert.True(zalo["enabled"]!.GetValue<bool>());
        Assert.Equal("refresh-failed", zalo["token"]!["status"]!.GetValue<string>());
        // Wrote, but never subscribed: not in a broadcast's audience inside the window.
        Assert.Equal((1, 0, 0), (zalo["residents"]!.GetValue<int>(), zalo["subscribed"]!.GetValue<int>(), zalo["insideFreeWindow"]!.GetValue<int>()));
        Assert.False(channels.Single(c => c!["channel"]!.GetValue<string>() == ChannelIds.Telegram)!["enabled"]!.GetValue<bool>());

        // A working refresh token with ten days left is spent on a refresh that brings a new one.
        f.Zalo.RevokeRefreshToken();
        await f.DbAsync(async db =>
        {
            var row = await db.ZaloOaTokens.SingleAsync();
            row.RefreshToken = "oa-refresh-still-valid";
            row.RefreshExpiresAt = DateTimeOffset.UtcNow.AddDays(10);
            row.RefreshFailedAt = null;
            return await db.SaveChangesAsync();
        });
        f.Zalo.AcceptRefreshToken("oa-refresh-still-valid");
        var tokens = f.Bot.App.Services.GetRequiredService<Bot.Channels.ZaloOa.ZaloOaTokens>();
        Assert.Equal("refresh-token-expiring", (await tokens.StatusAsync(CancellationToken.None)).Status);
        Assert.True(await tokens.RenewIfExpiringAsync(CancellationToken.None));
        var renewed = await tokens.StatusAsync(CancellationToken.None);
        Assert.Equal("ok", renewed.Status);
        Assert.True(renewed.RefreshExpiresAt > DateTimeOffset.UtcNow.AddDays(80));
    }
}
