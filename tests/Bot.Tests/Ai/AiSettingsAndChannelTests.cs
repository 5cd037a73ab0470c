using Bot.Cli;
using Bot.Conversation;
using Bot.Storage;
using Bot.Tests.Fakes;
using Bot.Tests.Infrastructure;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Ai;

/// <summary>The Ai section's validation, `ask --json`, a chat channel's conversation and the circuit breaker.</summary>
public sealed class AiSettingsAndChannelTests
{
    private const string GoodDraft = "Bà con đăng nhập https://dichvucong.gov.vn bằng tài khoản VNeID mức 2 của cha hoặc mẹ [S1].";


    [Theory]
    [InlineData("Ai:Endpoint", "--Ai:Enabled=true")]
    [InlineData("Ai:Endpoint", "--Ai:Enabled=true", "--Ai:Endpoint=ftp://ai.example.vn/v1", "--Ai:Model=m")]
    [InlineData("Ai:Model", "--Ai:Enabled=true", "--Ai:Endpoint=https://ai.example.vn/v1")]
    [InlineData("Ai:TimeoutSeconds", "--Ai:TimeoutSeconds=0")]
    [InlineData("Ai:DailyTokenBudget", "--Ai:DailyTokenBudget=-1")]
    [InlineData("Ai:DailyTokenBudget", "--Ai:DailyTokenBudget=nhiều")]
    [InlineData("Ai:Enabled", "--Ai:Enabled=có")]
    public async Task A_bad_ai_setting_stops_start_up_and_ask_with_one_line_naming_its_key(string key, params string[] settings)
    {
        string[][] runs = [["serve", "--urls=http://127.0.0.1:0", .. settings], ["ask", .. settings, "quên mật khẩu vneid"]];
        foreach (var args in runs)
        {
            var error = new StringWriter();
            var output = new StringWriter();
            Assert.Equal(3, await CliRunner.RunAsync(args, new StringReader(""), output, error));
            Assert.StartsWith($"Lỗi cấu hình {key}: ", error.ToString());
            Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    [Fact]
    public async Task Ask_json_shows_the_composed_answer_and_its_sources()
    {
        await using var ai = await FakeOpenAiServer.StartAsync();
        ai.Script(GoodDraft);
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliRunner.RunAsync(["ask", "--json", .. database.Args, .. ai.Settings(), "đăng ký khai sinh online"],
            new StringReader(""), output, error);
        Assert.True(code == 0, error.ToString());
        var json = JsonNode.Parse(output.ToString())!.AsObject();
        Assert.True(json["composed"]!.GetValue<bool>());
        Assert.Equal("dvc-lien-thong-khai-sinh", json["sources"]![0]!["faqId"]!.GetValue<string>());
        Assert.Single(ai.Requests);

        // Off: the same question, retrieval's sources, nothing sent.
        output = new StringWriter();
        Assert.Equal(0, await CliRunner.RunAsync(["ask", "--json", "đăng ký khai sinh online"], new StringReader(""), output, new StringWriter()));
        json = JsonNode.Parse(output.ToString())!.AsObject();
        Assert.False(json["composed"]!.GetValue<bool>());
        Assert.Equal("dvc-lien-thong-khai-sinh", json["sources"]![0]!["faqId"]!.GetValue<string>());
        Assert.Single(ai.Requests);
    }

    [Fact]
    public async Task A_chat_channel_resident_reads_the_composed_answer_and_a_follow_up_is_answered_in_the_conversation()
    {
        await using var ai = await FakeOpenAiServer.StartAsync();
        ai.Script(GoodDraft, "Làm giấy khai sinh online cho con thì ở đâu?", "Bà con làm trên https://dichvucong.gov.vn [S1].");
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database, ai.Settings());

        async Task<OutgoingMessage> SendAsync(string text)
        {
            await using var scope = bot.App.Services.CreateAsyncScope();
            var flow = scope.ServiceProvider.GetRequiredService<ConversationFlow>();
            return Assert.Single(await flow.HandleAsync(new IncomingMessage("telegram", "4242", "4242", "Bà Lan", IncomingKind.Text, text)));
        }

        var first = await SendAsync("đăng ký khai sinh online");
        Assert.StartsWith("Bà con đăng nhập https://dichvucong.gov.vn bằng tài khoản VNeID mức 2", first.Text);
        Assert.Contains(first.Buttons, row => row.Any(b => b.Data.StartsWith("fb:")));
        var followUp = await SendAsync("ở đâu?");
        Assert.StartsWith("Bà con làm trên https://dichvucong.gov.vn", followUp.Text);
        Assert.Equal(3, ai.Requests.Count);
    }

    [Fact]
    public async Task After_repeated_failures_the_circuit_opens_and_the_endpoint_is_left_alone()
    {
        await using var ai = await FakeOpenAiServer.StartAsync();
        // Nothing scripted: every call answers 503 (each resident question tries twice).
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database, ai.Settings());
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new() }) { BaseAddress = bot.BaseAddress };

        for (var i = 0; i < 4; i++)
        {
            var body = (await (await browser.PostAsync("/api/ask", JsonContent("đăng ký khai sinh online"))).Content.ReadAsStringAsync());
            Assert.Contains("\"composed\":false", body);
        }
        Assert.Equal(8, ai.Requests.Count);
        var last = await (await browser.PostAsync("/api/ask", JsonContent("đăng ký khai sinh online"))).Content.ReadAsStringAsync();
        Assert.Contains("\"composed\":false", last);
        Assert.Contains("Một hồ sơ trực tuyến làm được cả 3 việc", last);
        Assert.Equal(8, ai.Requests.Count);
    }

    private static StringContent JsonContent(string text) =>
        new(new JsonObject { ["text"] = text }.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
}
