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

        // Three answers at once, a plain notice, then the other three after the pause: nothing is lost. (A loaded
        // machine may stretch the pause past a window and earn another notice: not what is tested here.)
        await Eventually.WaitUntilAsync(async () => await f.DbAsync(db => db.InboundUpdates.AllAsync(u => u.Status == InboundUpdateStatus.Done)), 90);
        Assert.Equal(questions.Length, await f.DbAsync(db => db.ConversationTurns.CountAsync()));
        var messages = f.Telegram.CallsTo("sendMessage").Where(c => c.ChatId == user && c.StatusCode == 200).ToList();
        var notices = messages.Count(m => m.Text!.Contains("gửi nhanh quá"));
        Assert.True(notices >= 1, "the resident was not told");
        Assert.Equal(questions.Length, messages.Count - notices);
        Assert.All(await f.DbAsync(db => db.InboundUpdates.ToListAsync()), u => Assert.True(u.Attempts <= 1, $"update {u.UpdateId}: {u.Attempts} attempts"));
    }
}
