using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Channels;
using Bot.Storage;
using Bot.Tests.Fakes;
using Bot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Telegram;

/// <summary>The bot wired to a fake Bot API server on 127.0.0.1, in webhook or polling mode, over a test database.</summary>
public sealed class TelegramBotFixture : IAsyncDisposable
{
    public const string Secret = "webhook_SECRET-123";
    public const string ApiKey = "staff-key-0123456789abcdef";
    public FakeTelegramServer Telegram { get; }
    public RunningBot Bot { get; }
    private readonly TestDatabase database;
    public TestDatabase Database => database;

    private TelegramBotFixture(TestDatabase database, FakeTelegramServer telegram, RunningBot bot)
    {
        this.database = database;
        Telegram = telegram;
        Bot = bot;
    }

    public static Task<TelegramBotFixture> StartAsync(string mode = "Webhook", DatabaseProvider provider = DatabaseProvider.Sqlite, params string[] extra) =>
        StartAsync(mode, provider, seed: null, extra);

    /// <summary>As above; seed fills the migrated database before the bot starts (what a crashed process left behind).</summary>
    public static async Task<TelegramBotFixture> StartAsync(string mode, DatabaseProvider provider, Func<StorageScope, Task>? seed, params string[] extra)
    {
        var database = await TestDatabase.CreateAsync(provider);
        if (seed is not null)
        {
            await using var storage = new StorageScope(database);
            await storage.NewMigrator().MigrateAsync();
            await seed(storage);
        }
        var telegram = await FakeTelegramServer.StartAsync();
        var bot = await RunningBot.StartAsync(database,
        [
            $"--Telegram:Mode={mode}", $"--Telegram:BotToken={telegram.Token}", $"--Telegram:ApiBaseUrl={telegram.BaseUrl}",
            "--Telegram:PublicUrl=https://bot.xa-thu-nghiem.gov.vn", $"--Telegram:WebhookSecret={Secret}",
            "--Telegram:PollTimeoutSeconds=1", "--Telegram:TypingDelayMs=0", $"--Admin:ApiKeys:0={ApiKey}", "--Commune:Name=xã Vĩnh Phong",
            .. extra,
        ]);
        return new TelegramBotFixture(database, telegram, bot);
    }

    private static long nextUpdateId = 900_000;

    public async Task<HttpResponseMessage> PostUpdateAsync(JsonObject update, string? secret = Secret)
    {
        update["update_id"] ??= Interlocked.Increment(ref nextUpdateId);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram")
        {
            Content = new StringContent(update.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (secret is not null) request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        return await Bot.Client.SendAsync(request);
    }

    public async Task PostAcceptedAsync(JsonObject update) =>
        Assert.Equal(HttpStatusCode.OK, (await PostUpdateAsync(update)).StatusCode);

    /// <summary>Waits for the n-th sendMessage to chatId and returns it.</summary>
    public async Task<RecordedCall> NthMessageToAsync(long chatId, int n) =>
        (await Telegram.WaitForAsync(c => c.Method == "sendMessage" && c.ChatId == chatId && c.StatusCode == 200, n))[n - 1];

    public Task<T> DbAsync<T>(Func<BotDbContext, Task<T>> query) => Bot.DbAsync(query);

    public Task<Resident> ResidentAsync(long userId) =>
        DbAsync(db => db.Residents.SingleAsync(r => r.Channel == ChannelIds.Telegram && r.PlatformUserId == userId.ToString()));

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Telegram.DisposeAsync();
        await database.DisposeAsync();
    }
}
