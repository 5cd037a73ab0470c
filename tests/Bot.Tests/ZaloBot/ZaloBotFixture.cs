using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Channels;
using Bot.Storage;
using Bot.Tests.Fakes;
using Bot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.ZaloBot;

/// <summary>The bot wired to a fake Zalo Bot Platform server on 127.0.0.1, in webhook or polling mode, over a test database.</summary>
public sealed class ZaloBotFixture : IAsyncDisposable
{
    public const string Secret = "zalo_bot-SECRET-123";
    public const string ApiKey = "staff-key-0123456789abcdef";
    public FakeZaloBotServer Zalo { get; }
    public RunningBot Bot { get; }
    private readonly TestDatabase database;

    private ZaloBotFixture(TestDatabase database, FakeZaloBotServer zalo, RunningBot bot)
    {
        this.database = database;
        Zalo = zalo;
        Bot = bot;
    }

    public static async Task<ZaloBotFixture> StartAsync(string mode = "Webhook", DatabaseProvider provider = DatabaseProvider.Sqlite, params string[] extra)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var zalo = await FakeZaloBotServer.StartAsync();
        var bot = await RunningBot.StartAsync(database,
        [
            $"--ZaloBot:Mode={mode}", $"--ZaloBot:Token={FakeZaloBotServer.Token}", $"--ZaloBot:ApiBaseUrl={zalo.BaseUrl}",
            "--ZaloBot:PublicUrl=https://bot.xa-thu-nghiem.gov.vn", $"--ZaloBot:WebhookSecret={Secret}", "--ZaloBot:PollTimeoutSeconds=1",
            $"--Admin:ApiKeys:0={ApiKey}", "--Commune:Name=xã Vĩnh Phong",
            .. extra,
        ]);
        return new ZaloBotFixture(database, zalo, bot);
    }

    public async Task<HttpResponseMessage> PostRawAsync(string body, string? secret = Secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/zalo-bot") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (secret is not null) request.Headers.Add("X-Bot-Api-Secret-Token", secret);
        return await Bot.Client.SendAsync(request);
    }

    /// <summary>Posts the event as Zalo does: wrapped as {"ok": true, "result": event}.</summary>
    public Task<HttpResponseMessage> PostEventAsync(JsonObject update, string? secret = Secret) =>
        PostRawAsync(new JsonObject { ["ok"] = true, ["result"] = update.DeepClone() }.ToJsonString(), secret);

    public async Task PostAcceptedAsync(JsonObject update) =>
        Assert.Equal(HttpStatusCode.OK, (await PostEventAsync(update)).StatusCode);

    /// <summary>Waits for the n-th accepted sendMessage to chatId and returns it.</summary>
    public async Task<ZaloBotCall> NthMessageToAsync(string chatId, int n) =>
        (await Zalo.WaitForAsync(c => c.Method == "sendMessage" && c.ChatId == chatId && c.StatusCode == 200, n))[n - 1];

    public Task<T> DbAsync<T>(Func<BotDbContext, Task<T>> query) => Bot.DbAsync(query);

    public Task<Resident> ResidentAsync(string userId) => Bot.ResidentAsync(ChannelIds.ZaloBot, userId);

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Zalo.DisposeAsync();
        await database.DisposeAsync();
    }
}
