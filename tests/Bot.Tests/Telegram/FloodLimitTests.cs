using Bot.Storage;
using Bot.Tests.Fakes;
using Bot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bot.Tests.Telegram;

public sealed class FloodLimitTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers();

    [Theory, MemberData(nameof(Providers))]
    public async Task Messages_past_the_flood_limit_are_kept_and_answered_after_the_pause(DatabaseProvider provider)
    {
        await using var f = await TelegramBotFixture.StartAsync("Webhook", provider,
            "--Conversation:MaxMessagesPerMinute=3", "--Conversation:FloodWindow=00:00:04", "--Channels:SweepSeconds=1");
        const long user = 12012;
        string[] questions =
        [
            "quên mật khẩu VNeID", "cách cài ứng dụng VNeID", "làm khai sinh online thế nào",
            "thanh toán tiền điện qua ngân hàng", "có người gọi xưng công an bắt chuyển tiền", "đăng ký tài khoản dịch vụ công",
        ];
        foreach (var question in questions) await f.PostAcceptedAsync(TelegramUpdateJson.PrivateText(user, question));

        // Three answers at once, one plain notice, then the other three after the pause: nothing is lost.
        var messages = await f.Telegram.WaitForAsync(c => c.Method == "sendMessage" && c.ChatId == user && c.StatusCode == 200,
            questions.Length + 1, TimeSpan.FromSeconds(60));
        Assert.Single(messages, m => m.Text!.Contains("gửi nhanh quá"));
        await Eventually.WaitUntilAsync(async () => await f.DbAsync(db => db.InboundUpdates.AllAsync(u => u.Status == InboundUpdateStatus.Done)));
        Assert.Equal(questions.Length, await f.DbAsync(db => db.ConversationTurns.CountAsync()));
        Assert.All(await f.DbAsync(db => db.InboundUpdates.ToListAsync()), u => Assert.True(u.Attempts <= 1, $"update {u.UpdateId}: {u.Attempts} attempts"));
    }
}
