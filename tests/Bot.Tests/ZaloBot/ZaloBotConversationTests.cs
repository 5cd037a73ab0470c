using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bot.Storage;
using Bot.Tests.Fakes;
using Bot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bot.Tests.ZaloBot;

public sealed class ZaloBotConversationTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers();

    private static string[] Choices(Resident resident) => resident.OfferedChoices?.Split('\n') ?? [];

    [Fact]
    public async Task Webhook_conversation_with_numbered_choices_a_bare_number_and_subscriptions()
    {
        await using var f = await ZaloBotFixture.StartAsync("Webhook");
        const string user = "zu1001";

        var webhook = (await f.Zalo.WaitForAsync(c => c.Method == "setWebhook"))[0];
        Assert.Equal("https://bot.xa-thu-nghiem.gov.vn/webhooks/zalo-bot", webhook.Body["url"]!.GetValue<string>());
        Assert.Equal(ZaloBotFixture.Secret, webhook.Body["secret_token"]!.GetValue<string>());

        await f.PostAcceptedAsync(ZaloBotEventJson.Text(user, "/start"));
        var welcome = await f.NthMessageToAsync(user, 1);
        Assert.Contains("Xin chào Lan", welcome.Text);
        Assert.Contains("xã Vĩnh Phong", welcome.Text);
        Assert.DoesNotContain("**", welcome.Text);
        var menu = Choices(await f.ResidentAsync(user));
        var vneid = Array.IndexOf(menu, "t:vneid") + 1;
        Assert.True(vneid > 0, string.Join(",", menu));
        Assert.Contains($"\n{vneid}. ", welcome.Text);
        Assert.Contains("Gõ ", welcome.Text);

        // A bare number answers the menu last offered: the topic's questions, numbered in turn.
        await f.PostAcceptedAsync(ZaloBotEventJson.Text(user, vneid.ToString()));
        var topic = await f.NthMessageToAsync(user, 2);
        Assert.Contains("VNeID", topic.Text);
        var questions = Choices(await f.ResidentAsync(user));
        Assert.All(questions, q => Assert.StartsWith("q:", q));
        Assert.True(questions.Length >= 2);

        await f.PostAcceptedAsync(ZaloBotEventJson.Text(user, " 2 "));
        var answer = await f.NthMessageToAsync(user, 3);
        var turn = await f.DbAsync(db => db.ConversationTurns.OrderBy(t => t.Id).LastAsync());
        Assert.Equal(questions[1][2..], turn.FaqId);
        Assert.Contains("Hữu ích", answer.Text);

        // A typed question is answered from the FAQ, with "typing…" first; its related questions and feedback are numbered.
        await f.PostAcceptedAsync(ZaloBotEventJson.Text(user, "quen mat khau vneid thi lam sao"));
        var typed = await f.NthMessageToAsync(user, 4);
        await f.Zalo.WaitForAsync(c => c.Method == "sendChatAction" && c.ChatId == user);
        Assert.Equal("vneid-quen-mat-khau", (await f.DbAsync(db => db.ConversationTurns.OrderBy(t => t.Id).LastAsync())).FaqId);
        var offered = Choices(await f.ResidentAsync(user));
        var helpful = Array.FindIndex(offered, c => c.StartsWith("fb:") && c.EndsWith(":+")) + 1;
        Assert.Contains($"{helpful}. 👍 Hữu ích", typed.Text);
        await f.PostAcceptedAsync(ZaloBotEventJson.Text(user, helpful.ToString()));
        Assert.Contains("Cảm ơn", (await f.NthMessageToAsync(user, 5)).Text);
        Assert.Equal(1, (await f.DbAsync(db => db.ConversationTurns.OrderBy(t => t.Id).LastAsync())).Feedback);

        // A number beyond the choices is an ordinary question, not a pick.
        await f.PostAcceptedAsync(ZaloBotEventJson.Text(user, "99"));
        await f.NthMessageToAsync(user, 6);
        Assert.Equal("99", (await f.DbAsync(db => db.ConversationTurns.OrderBy(t => t.Id).LastAsync())).Question);

        await f.PostAcceptedAsync(ZaloBotEventJson.Text(user, "/subscribe"));
        Assert.Contains("/unsubscribe", (await f.NthMessageToAsync(user, 7)).Text);
        Assert.True((await f.ResidentAsync(user)).Subscribed);
        var onlyScams = Array.IndexOf(Choices(await f.ResidentAsync(user)), "sub:an-toan-mang") + 1;
        await f.PostAcceptedAsync(ZaloBotEventJson.Text(user, onlyScams.ToString()));
        await f.NthMessageToAsync(user, 8);
        Assert.Equal("an-toan-mang", (await f.ResidentAsync(user)).Topics);

        await f.PostAcceptedAsync(ZaloBotEventJson.Text(user, "/unsubscribe"));
        Assert.Contains("huỷ đăng ký", (await f.NthMessageToAsync(user, 9)).Text);
        Assert.False((await f.ResidentAsync(user)).Subscribed);

        await f.PostAcceptedAsync(ZaloBotEventJson.Sticker(user));
        Assert.Contains("tin nhắn chữ", (await f.NthMessageToAsync(user, 10)).Text);
        await f.PostAcceptedAsync(ZaloBotEventJson.Text(user, "/lienhe"));
        Assert.Contains("Liên hệ UBND xã Vĩnh Phong", (await f.NthMessageToAsync(user, 11)).Text);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_retried_event_is_answered_once(DatabaseProvider provider)
    {
        await using var f = await ZaloBotFixture.StartAsync("Webhook", provider);
        var update = ZaloBotEventJson.Text("zu2002", "Làm sao để cài ứng dụng VNeID?");

        var first = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => f.PostEventAsync(update)));
        Assert.All(first, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await f.NthMessageToAsync("zu2002", 1);
        Assert.Equal(HttpStatusCode.OK, (await f.PostEventAsync(update)).StatusCode);

        // A later event from the same resident is answered: everything before it has been processed too.
        await f.PostAcceptedAsync(ZaloBotEventJson.Text("zu2002", "/help"));
        await f.NthMessageToAsync("zu2002", 2);
        Assert.Equal(2, f.Zalo.Calls.Count(c => c.Method == "sendMessage" && c.ChatId == "zu2002"));
        Assert.Equal(2, await f.DbAsync(db => db.InboundUpdates.CountAsync(u => u.Channel == "zalo-bot")));
        Assert.Equal(1, await f.DbAsync(db => db.ConversationTurns.CountAsync()));
    }

    [Fact]
    public async Task Forged_secret_malformed_and_oversized_events_are_refused_and_nothing_is_stored()
    {
        await using var f = await ZaloBotFixture.StartAsync("Webhook");
        var update = ZaloBotEventJson.Text("zu3003", "quên mật khẩu");

        Assert.Equal(HttpStatusCode.Unauthorized, (await f.PostEventAsync(update, secret: "zalo_bot-SECRET-124")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.PostEventAsync(update, secret: null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await f.PostRawAsync("{\"ok\": true, \"result\": {")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await f.PostRawAsync("{\"event_name\": \"message.text.received\", \"message\": {}}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await f.PostRawAsync("[1,2,3]")).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await f.PostRawAsync("{\"pad\": \"" + new string('a', 300_000) + "\"}")).StatusCode);

        Assert.Equal(0, await f.DbAsync(db => db.InboundUpdates.CountAsync()));
        Assert.DoesNotContain(f.Zalo.Calls, c => c.Method == "sendMessage");
    }

    [Fact]
    public async Task Polling_mode_answers_without_a_public_url()
    {
        await using var f = await ZaloBotFixture.StartAsync("Polling");
        await f.Zalo.WaitForAsync(c => c.Method == "deleteWebhook");
        f.Zalo.EnqueueUpdate(ZaloBotEventJson.Text("zu5005", "/start"));
        f.Zalo.EnqueueUpdate(ZaloBotEventJson.Text("zu5005", "co nguoi goi xung cong an bat chuyen tien"));

        Assert.Contains("Xin chào", (await f.NthMessageToAsync("zu5005", 1)).Text);
        await f.NthMessageToAsync("zu5005", 2);
        Assert.StartsWith("atm-", (await f.DbAsync(db => db.ConversationTurns.SingleAsync())).FaqId);
    }

    [Fact]
    public async Task An_uncovered_question_is_handed_over_and_the_staff_reply_reaches_the_same_chat()
    {
        await using var f = await ZaloBotFixture.StartAsync("Webhook");
        await f.PostAcceptedAsync(ZaloBotEventJson.Text("zu6006", "giá vàng hôm nay bao nhiêu, sđt tôi 0912345678"));
        Assert.Contains("chuyển cho cán bộ", (await f.NthMessageToAsync("zu6006", 1)).Text);
        var handover = await f.DbAsync(db => db.Handovers.SingleAsync());
        Assert.Equal("zalo-bot", handover.Channel);
        Assert.DoesNotContain("0912345678", handover.Question);

        using var reply = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/handovers/{handover.Id}/reply")
        {
            Content = JsonContent.Create(new { text = "Chào bác, giá vàng bác xem trên báo điện tử ạ." }),
        };
        reply.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ZaloBotFixture.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await f.Bot.Client.SendAsync(reply)).StatusCode);

        var delivered = await f.NthMessageToAsync("zu6006", 2);
        Assert.Contains("Cán bộ xã trả lời", delivered.Text);
        Assert.Contains("giá vàng bác xem", delivered.Text);
        Assert.DoesNotContain("**", delivered.Text);
        await Eventually.WaitUntilAsync(async () => (await f.DbAsync(db => db.Handovers.SingleAsync())).DeliveredAt is not null);
    }

    [Fact]
    public async Task A_broadcast_reaches_zalo_bot_subscribers_and_a_blocked_one_is_marked()
    {
        await using var f = await ZaloBotFixture.StartAsync("Webhook", DatabaseProvider.Sqlite, "--Broadcasts:QuietHours=");
        foreach (var user in new[] { "zu7001", "zu7002" })
        {
            await f.PostAcceptedAsync(ZaloBotEventJson.Text(user, "/subscribe"));
            await f.NthMessageToAsync(user, 1);
        }
        f.Zalo.BlockChat("zu7002");

        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/admin/broadcasts")
        {
            Content = JsonContent.Create(new { text = "**Nhắc việc:** hạn nộp hồ sơ trực tuyến là thứ Sáu.", channel = "zalo-bot" }),
        };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ZaloBotFixture.ApiKey);
        var created = await f.Bot.Client.SendAsync(create);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Null((await created.Content.ReadFromJsonAsync<JsonObject>())!["warning"]);

        var sent = await f.NthMessageToAsync("zu7001", 2);
        Assert.StartsWith("Nhắc việc: hạn nộp hồ sơ", sent.Text);
        await Eventually.WaitUntilAsync(async () => (await f.ResidentAsync("zu7002")).Blocked);
        await Eventually.WaitUntilAsync(async () => await f.DbAsync(db => db.BroadcastDeliveries.CountAsync(d => d.Status == "sent")) == 1);
    }
}
