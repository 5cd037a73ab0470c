using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Channels;
using Bot.Storage;
using Bot.Tests.Fakes;
using Bot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Telegram;

public sealed class TelegramConversationTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers();

    private static IEnumerable<string> CallbackData(RecordedCall call) =>
        call.Body["reply_markup"]?["inline_keyboard"]?.AsArray()
            .SelectMany(row => row!.AsArray()).Select(b => b!["callback_data"]!.GetValue<string>()) ?? [];

    [Fact]
    public async Task Webhook_conversation_from_start_through_question_related_feedback_and_subscriptions()
    {
        await using var f = await TelegramBotFixture.StartAsync("Webhook");
        const long user = 1001;

        var webhook = (await f.Telegram.WaitForAsync(c => c.Method == "setWebhook"))[0];
        Assert.Equal("https://bot.xa-thu-nghiem.gov.vn/webhooks/telegram", webhook.Body["url"]!.GetValue<string>());
        Assert.Equal(TelegramBotFixture.Secret, webhook.Body["secret_token"]!.GetValue<string>());
        Assert.Equal(40, webhook.Body["max_connections"]!.GetValue<int>());
        await f.Telegram.WaitForAsync(c => c.Method == "setMyCommands");

        await f.PostAcceptedAsync(TelegramUpdateJson.Command(user, "start"));
        var welcome = await f.NthMessageToAsync(user, 1);
        Assert.Contains("Xin chào Lan", welcome.Text);
        Assert.Contains("xã Vĩnh Phong", welcome.Text);
        Assert.Equal("HTML", welcome.Body["parse_mode"]!.GetValue<string>(), ignoreCase: true); // the Bot API reads parse_mode case-insensitively
        Assert.Contains("t:vneid", CallbackData(welcome));

        await f.PostAcceptedAsync(TelegramUpdateJson.PrivateText(user, "quen mat khau vneid thi lam sao"));
        var answer = await f.NthMessageToAsync(user, 2);
        await f.Telegram.WaitForAsync(c => c.Method == "sendChatAction" && c.ChatId == user);
        var buttons = CallbackData(answer).ToList();
        var related = buttons.First(b => b.StartsWith("q:"));
        var feedback = buttons.First(b => b.StartsWith("fb:") && b.EndsWith(":+"));
        var turn = await f.DbAsync(db => db.ConversationTurns.OrderBy(t => t.Id).LastAsync());
        Assert.Equal("vneid-quen-mat-khau", turn.FaqId);
        Assert.True(turn.Answered);

        await f.PostAcceptedAsync(TelegramUpdateJson.CallbackQuery(user, related));
        await f.NthMessageToAsync(user, 3);
        Assert.Contains(f.Telegram.Calls, c => c.Method == "answerCallbackQuery");
        var relatedTurn = await f.DbAsync(db => db.ConversationTurns.OrderBy(t => t.Id).LastAsync());
        Assert.Equal(related[2..], relatedTurn.FaqId);

        await f.PostAcceptedAsync(TelegramUpdateJson.CallbackQuery(user, feedback));
        Assert.Contains("Cảm ơn", (await f.NthMessageToAsync(user, 4)).Text);
        Assert.Equal(1, (await f.DbAsync(db => db.ConversationTurns.SingleAsync(t => t.Id == turn.Id))).Feedback);

        await f.PostAcceptedAsync(TelegramUpdateJson.Command(user, "subscribe"));
        var subscribed = await f.NthMessageToAsync(user, 5);
        Assert.Contains("/unsubscribe", subscribed.Text);
        var resident = await f.ResidentAsync(user);
        Assert.True(resident.Subscribed);
        Assert.NotNull(resident.ConsentAt);
        Assert.Equal("", resident.Topics);

        await f.PostAcceptedAsync(TelegramUpdateJson.CallbackQuery(user, "sub:an-toan-mang"));
        await f.NthMessageToAsync(user, 6);
        Assert.Equal("an-toan-mang", (await f.ResidentAsync(user)).Topics);

        await f.PostAcceptedAsync(TelegramUpdateJson.Command(user, "unsubscribe"));
        Assert.Contains("huỷ đăng ký", (await f.NthMessageToAsync(user, 7)).Text);
        Assert.False((await f.ResidentAsync(user)).Subscribed);
    }

    [Fact]
    public async Task A_failing_acknowledgement_never_costs_the_resident_the_reply()
    {
        await using var f = await TelegramBotFixture.StartAsync("Webhook");
        const long user = 1002;
        f.Telegram.AnswerNullResult("answerCallbackQuery");
        f.Telegram.FailNext("sendChatAction", 5, 500);

        await f.PostAcceptedAsync(TelegramUpdateJson.PrivateText(user, "quen mat khau vneid thi lam sao"));
        var answer = await f.NthMessageToAsync(user, 1);
        await f.PostAcceptedAsync(TelegramUpdateJson.CallbackQuery(user, CallbackData(answer).First(b => b.StartsWith("q:"))));
        await f.NthMessageToAsync(user, 2);

        Assert.Contains(f.Telegram.Calls, c => c.Method == "sendChatAction" && c.StatusCode == 500);
        Assert.Contains(f.Telegram.Calls, c => c.Method == "answerCallbackQuery");
        Assert.Equal(2, f.Telegram.CallsTo("sendMessage").Count(c => c.ChatId == user));
        // Answered on the first attempt: the update is recorded done, not retried (which would send the reply again).
        for (var i = 0; i < 100 && await f.DbAsync(db => db.InboundUpdates.CountAsync(u => u.Status != InboundUpdateStatus.Done)) > 0; i++)
            await Task.Delay(100);
        Assert.All(await f.DbAsync(db => db.InboundUpdates.ToListAsync()), u => Assert.Equal((InboundUpdateStatus.Done, 1), (u.Status, u.Attempts)));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_retried_update_is_answered_once(DatabaseProvider provider)
    {
        await using var f = await TelegramBotFixture.StartAsync("Webhook", provider);
        var update = TelegramUpdateJson.PrivateText(2002, "Làm sao để cài ứng dụng VNeID?");
        update["update_id"] = 777001;

        var first = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => f.PostUpdateAsync(update)));
        Assert.All(first, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await f.NthMessageToAsync(2002, 1);
        Assert.Equal(HttpStatusCode.OK, (await f.PostUpdateAsync(update)).StatusCode);

        // A later, different update from the same resident is processed: everything before it has been too.
        await f.PostAcceptedAsync(TelegramUpdateJson.Command(2002, "help"));
        await f.NthMessageToAsync(2002, 2);
        var toResident = f.Telegram.CallsTo("sendMessage").Where(c => c.ChatId == 2002).ToList();
        Assert.Equal(2, toResident.Count);
        Assert.Equal(1, await f.DbAsync(db => db.InboundUpdates.CountAsync(u => u.UpdateId == "777001")));
        await Eventually.WaitUntilAsync(async () => await f.DbAsync(db => db.InboundUpdates.AllAsync(u => u.Status == "done" && u.Payload == "")));
        Assert.Equal(1, await f.DbAsync(db => db.ConversationTurns.CountAsync()));

        // A week later the answered update leaves the inbox; the newer one stays until its own week is over.
        await f.DbAsync(db => db.InboundUpdates.Where(u => u.UpdateId == "777001")
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.ProcessedAt, DateTimeOffset.UtcNow.AddDays(-8))));
        Assert.Equal(1, await f.Bot.App.Services.GetRequiredService<InboundUpdates>().PurgeExpiredAsync());
        Assert.Equal(0, await f.DbAsync(db => db.InboundUpdates.CountAsync(u => u.UpdateId == "777001")));
        Assert.Equal(1, await f.DbAsync(db => db.InboundUpdates.CountAsync()));
    }

    [Fact]
    public async Task Forged_secret_malformed_and_oversized_updates_are_refused_and_nothing_is_stored()
    {
        await using var f = await TelegramBotFixture.StartAsync("Webhook");
        var update = TelegramUpdateJson.PrivateText(3003, "quên mật khẩu");

        Assert.Equal(HttpStatusCode.Unauthorized, (await f.PostUpdateAsync(update, secret: "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.PostUpdateAsync(update, secret: null)).StatusCode);

        async Task<HttpStatusCode> PostRaw(string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", TelegramBotFixture.Secret);
            return (await f.Bot.Client.SendAsync(request)).StatusCode;
        }
        Assert.Equal(HttpStatusCode.BadRequest, await PostRaw("{\"update_id\": 1, \"message\": {"));
        Assert.Equal(HttpStatusCode.BadRequest, await PostRaw("{\"message\": {}}"));
        Assert.Equal(HttpStatusCode.BadRequest, await PostRaw("[1,2,3]"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PostRaw("{\"update_id\": 2, \"pad\": \"" + new string('a', 300_000) + "\"}"));

        Assert.Equal(0, await f.DbAsync(db => db.InboundUpdates.CountAsync()));
        Assert.DoesNotContain(f.Telegram.Calls, c => c.Method == "sendMessage");
    }

    [Fact]
    public async Task A_429_with_retry_after_is_waited_out_and_the_reply_still_arrives_once()
    {
        await using var f = await TelegramBotFixture.StartAsync("Webhook");
        f.Telegram.FailNext("sendMessage", 1, 429, retryAfter: 1);

        await f.PostAcceptedAsync(TelegramUpdateJson.Command(4004, "help"));
        var delivered = await f.NthMessageToAsync(4004, 1);
        var attempts = f.Telegram.CallsTo("sendMessage").Where(c => c.ChatId == 4004).ToList();
        Assert.Equal([429, 200], attempts.Select(c => c.StatusCode));
        Assert.True(delivered.At - attempts[0].At >= TimeSpan.FromSeconds(0.9));
    }

    [Fact]
    public async Task Polling_mode_answers_without_a_public_url()
    {
        await using var f = await TelegramBotFixture.StartAsync("Polling");
        await f.Telegram.WaitForAsync(c => c.Method == "deleteWebhook");
        f.Telegram.EnqueueUpdate(TelegramUpdateJson.Command(5005, "start"));
        f.Telegram.EnqueueUpdate(TelegramUpdateJson.PrivateText(5005, "co nguoi goi xung cong an bat chuyen tien"));

        Assert.Contains("Xin chào", (await f.NthMessageToAsync(5005, 1)).Text);
        await f.NthMessageToAsync(5005, 2);
        var turn = await f.DbAsync(db => db.ConversationTurns.SingleAsync());
        Assert.StartsWith("atm-", turn.FaqId);
        await f.Telegram.WaitForAsync(c => c.Method == "getUpdates" && c.Body["offset"] != null);
        Assert.Equal(0, f.Telegram.PendingUpdateCount);
    }

    [Fact]
    public async Task An_uncovered_question_is_handed_over_and_the_staff_reply_reaches_the_same_chat()
    {
        await using var f = await TelegramBotFixture.StartAsync("Webhook");
        await f.PostAcceptedAsync(TelegramUpdateJson.PrivateText(6006, "giá vàng hôm nay bao nhiêu, sđt tôi 0912345678"));
        var honest = await f.NthMessageToAsync(6006, 1);
        Assert.Contains("chuyển cho cán bộ", honest.Text);
        Assert.DoesNotContain(CallbackData(honest), d => d.StartsWith("fb:"));

        var handover = await f.DbAsync(db => db.Handovers.SingleAsync());
        Assert.Contains("*******678", handover.Question);
        Assert.DoesNotContain("0912345678", handover.Question);

        using var reply = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/handovers/{handover.Id}/reply")
        {
            Content = JsonContent.Create(new { text = "Chào bác, trợ lý chỉ hỗ trợ dịch vụ công; giá vàng bác xem trên báo điện tử ạ." }),
        };
        reply.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TelegramBotFixture.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await f.Bot.Client.SendAsync(reply)).StatusCode);

        var delivered = await f.NthMessageToAsync(6006, 2);
        Assert.Contains("Cán bộ xã trả lời", delivered.Text);
        Assert.Contains("giá vàng bác xem", delivered.Text);
        await Eventually.WaitUntilAsync(async () => (await f.DbAsync(db => db.Handovers.SingleAsync())).DeliveredAt is not null);
        Assert.Contains(await f.DbAsync(db => db.AuditEntries.Select(a => a.Action).ToListAsync()), a => a == "handover-reply");
    }

    [Fact]
    public async Task Non_text_gets_a_polite_note_groups_need_a_mention_and_a_403_marks_the_resident_blocked()
    {
        await using var f = await TelegramBotFixture.StartAsync("Webhook");
        await f.PostAcceptedAsync(TelegramUpdateJson.Sticker(7007));
        Assert.Contains("tin nhắn chữ", (await f.NthMessageToAsync(7007, 1)).Text);

        const long group = -100123;
        await f.PostAcceptedAsync(TelegramUpdateJson.GroupMention(group, 7008, "quên mật khẩu VNeID"));
        await f.NthMessageToAsync(group, 1);
        var plain = TelegramUpdateJson.GroupMention(group, 7008, "chào cả nhà");
        plain["message"]!["text"] = "chào cả nhà, mai họp thôn nhé";
        plain["message"]!.AsObject().Remove("entities");
        await f.PostAcceptedAsync(plain);
        await f.PostAcceptedAsync(TelegramUpdateJson.GroupMention(group, 7008, "cách khai sinh online"));
        await f.NthMessageToAsync(group, 2);
        Assert.Equal(2, f.Telegram.CallsTo("sendMessage").Count(c => c.ChatId == group));

        await f.PostAcceptedAsync(TelegramUpdateJson.Command(7009, "subscribe"));
        await f.NthMessageToAsync(7009, 1);
        f.Telegram.BlockChat(7009);
        await f.PostAcceptedAsync(TelegramUpdateJson.Command(7009, "help"));
        await f.Telegram.WaitForAsync(c => c.Method == "sendMessage" && c.ChatId == 7009 && c.StatusCode == 403);
        await Eventually.WaitUntilAsync(async () => (await f.ResidentAsync(7009)).Blocked);
    }
}
