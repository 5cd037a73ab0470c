using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bot.Ai;
using Bot.Conversation;
using Bot.Storage;
using Bot.Tests.Fakes;
using Bot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Bot.Tests.Ai;

/// <summary>AI-assisted answers against the loopback OpenAI-compatible stand-in, through the real host and /api/ask.</summary>
public sealed class AiAnswerTests(ITestOutputHelper log)
{
    private const string BirthQuestion = "đăng ký khai sinh online";
    private const string BirthEntry = "dvc-lien-thong-khai-sinh";

    /// <summary>Only facts of the entry: the link, "mức 2", "6 tuổi", "3 ngày làm việc", "60 ngày".</summary>
    private const string GoodBirthDraft =
        "Bà con đăng nhập https://dichvucong.gov.vn bằng tài khoản VNeID mức 2 của cha hoặc mẹ, chọn dịch vụ liên thông cho trẻ dưới 6 tuổi [S1].\n" +
        "- Hồ sơ thường xong trong khoảng 3 ngày làm việc [S1].\n- Khai sinh trong 60 ngày từ ngày sinh thì được miễn lệ phí [S1].";


    private static HttpClient Browser(RunningBot bot) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = bot.BaseAddress };

    private static async Task<JsonObject> AskAsync(HttpClient browser, string text)
    {
        var response = await browser.PostAsJsonAsync("/api/ask", new { text });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static string[] SourceIds(JsonObject body) =>
        body["sources"]!.AsArray().Select(s => s!["faqId"]?.GetValue<string>() ?? s["citation"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task With_ai_off_nothing_reaches_the_endpoint_and_the_answer_is_retrievals_with_its_sources()
    {
        await using var ai = await FakeOpenAiServer.StartAsync();
        ai.Script(GoodBirthDraft);
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        // Everything but Enabled is set: off must still mean off.
        await using var bot = await RunningBot.StartAsync(database, [.. ai.Settings().Where(a => !a.StartsWith("--Ai:Enabled")), "--Ai:Enabled=false"]);
        using var browser = Browser(bot);

        var body = await AskAsync(browser, BirthQuestion);
        Assert.False(body["composed"]!.GetValue<bool>());
        Assert.Equal([BirthEntry], SourceIds(body));
        Assert.StartsWith("Một hồ sơ trực tuyến làm được cả 3 việc", body["answer"]!.GetValue<string>());
        await AskAsync(browser, "mất bao lâu?");
        Assert.Empty(ai.Requests);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_good_cited_answer_is_used_and_its_tokens_are_counted_for_the_day(DatabaseProvider provider)
    {
        await using var ai = await FakeOpenAiServer.StartAsync();
        ai.Script(GoodBirthDraft);
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var bot = await RunningBot.StartAsync(database, ai.Settings());
        using var browser = Browser(bot);

        var body = await AskAsync(browser, BirthQuestion);
        Assert.True(body["composed"]!.GetValue<bool>());
        Assert.Equal(BirthEntry, body["faqId"]!.GetValue<string>());
        Assert.Equal([BirthEntry], SourceIds(body));
        var answer = body["answer"]!.GetValue<string>();
        Assert.StartsWith("Bà con đăng nhập https://dichvucong.gov.vn", answer);
        Assert.DoesNotContain("[S1]", answer);
        Assert.EndsWith("(Nguồn: Quyết định 296/QĐ-VPCP năm 2024 công bố nhóm thủ tục liên thông)", answer);

        // The model saw the retrieved entry under its source id, and the request was the documented one.
        var request = Assert.Single(ai.Requests);
        Assert.Equal("test-model", request["model"]!.GetValue<string>());
        var prompt = ai.SentTexts.Last();
        Assert.Contains("[S1] Làm thủ tục liên thông đăng ký khai sinh", prompt);
        Assert.Contains("CÂU HỎI CỦA BÀ CON: đăng ký khai sinh online", prompt);

        var usage = await bot.DbAsync(db => db.Database
            .SqlQuery<long>($"SELECT calls * 1000000 + prompt_tokens + completion_tokens AS \"Value\" FROM ai_usage").SingleAsync());
        Assert.Equal(1, usage / 1_000_000);
        Assert.True(usage % 1_000_000 > 100, $"tokens counted: {usage % 1_000_000}");
    }

    public static TheoryData<string, string> BadDrafts => new()
    {
        { "cites a source that was not retrieved", "Bà con làm trên https://dichvucong.gov.vn [S1]. Xem thêm hướng dẫn đổi mật khẩu [S7]." },
        { "cites an FAQ entry that was not retrieved", "Bà con làm trên https://dichvucong.gov.vn [S1] [vneid-quen-mat-khau]." },
        { "adds a phone number", "Bà con làm trên https://dichvucong.gov.vn [S1]. Cần giúp, gọi 0243 823 4567 [S1]." },
        { "adds a fee", "Bà con làm trên https://dichvucong.gov.vn, lệ phí 50.000 đồng [S1]." },
        { "changes a time limit", "Hồ sơ xong trong 5 ngày làm việc [S1]." },
        { "adds a link", "Bà con vào https://dichvucong-hotro.vn để làm [S1]." },
        { "cites nothing", "Bà con làm trên https://dichvucong.gov.vn nhé." },
    };

    [Theory]
    [MemberData(nameof(BadDrafts))]
    public async Task A_draft_that_is_not_grounded_gives_the_resident_the_retrieval_answer(string why, string draft)
    {
        await using var ai = await FakeOpenAiServer.StartAsync();
        ai.Script(draft);
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database, ai.Settings());
        using var browser = Browser(bot);

        var body = await AskAsync(browser, BirthQuestion);
        Assert.Single(ai.Requests);
        Assert.False(body["composed"]!.GetValue<bool>(), why);
        Assert.StartsWith("Một hồ sơ trực tuyến làm được cả 3 việc", body["answer"]!.GetValue<string>());
        Assert.Equal([BirthEntry], SourceIds(body));
    }

    [Fact]
    public async Task A_reply_after_the_time_out_is_not_awaited_and_the_retrieval_answer_comes_within_it()
    {
        await using var ai = await FakeOpenAiServer.StartAsync();
        ai.Script(new ScriptedReply(GoodBirthDraft, TimeSpan.FromSeconds(20)));
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database, ai.Settings(timeoutSeconds: 1));
        using var browser = Browser(bot);

        var watch = Stopwatch.StartNew();
        var body = await AskAsync(browser, BirthQuestion);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"answered after {watch.Elapsed}, the stand-in's reply was awaited");
        Assert.False(body["composed"]!.GetValue<bool>());
        Assert.StartsWith("Một hồ sơ trực tuyến làm được cả 3 việc", body["answer"]!.GetValue<string>());
        var failures = await bot.DbAsync(db => db.Database.SqlQuery<long>($"SELECT failures AS \"Value\" FROM ai_usage").SingleAsync());
        Assert.Equal(1, failures);
    }

    [Fact]
    public async Task A_server_error_is_retried_once_then_the_answer_is_used()
    {
        await using var ai = await FakeOpenAiServer.StartAsync();
        ai.Script(ScriptedReply.Error(503), new ScriptedReply(GoodBirthDraft));
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database, ai.Settings());
        using var browser = Browser(bot);

        var body = await AskAsync(browser, BirthQuestion);
        Assert.True(body["composed"]!.GetValue<bool>());
        Assert.Equal(2, ai.Requests.Count);
    }

    [Fact]
    public async Task When_retrieval_abstains_the_model_is_never_asked()
    {
        await using var ai = await FakeOpenAiServer.StartAsync();
        ai.Script("Giá vàng hôm nay là 9.000.000 đồng một chỉ [S1].");
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database, ai.Settings());
        using var browser = Browser(bot);

        var body = await AskAsync(browser, "giá vàng hôm nay bao nhiêu");
        Assert.False(body["answered"]!.GetValue<bool>());
        Assert.False(body["composed"]!.GetValue<bool>());
        Assert.Empty(body["sources"]!.AsArray());
        Assert.True(body["handedOver"]!.GetValue<bool>());
        Assert.Empty(ai.Requests);
    }

    [Fact]
    public async Task A_follow_up_is_rewritten_by_the_model_with_the_last_turn_and_answered()
    {
        await using var ai = await FakeOpenAiServer.StartAsync();
        ai.Script(GoodBirthDraft, "Đăng ký khai sinh online cho con mất bao lâu?", "Hồ sơ thường xong trong khoảng 3 ngày làm việc [S1].");
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database, ai.Settings());
        using var browser = Browser(bot);

        await AskAsync(browser, BirthQuestion);
        var body = await AskAsync(browser, "mất bao lâu?");
        Assert.Equal(3, ai.Requests.Count);
        var rewrite = string.Join("\n", ai.Requests[1]["messages"]!.AsArray().Select(m => m!["content"]!.GetValue<string>()));
        Assert.Contains("Người dân: đăng ký khai sinh online", rewrite);
        Assert.Contains("Người dân (câu cuối): mất bao lâu?", rewrite);
        Assert.Equal("mất bao lâu?", body["question"]!.GetValue<string>());
        Assert.True(body["answered"]!.GetValue<bool>());
        Assert.True(body["composed"]!.GetValue<bool>());
        Assert.StartsWith("Hồ sơ thường xong trong khoảng 3 ngày làm việc", body["answer"]!.GetValue<string>());
        Assert.Equal(BirthEntry, body["faqId"]!.GetValue<string>());
        Assert.Equal(BirthEntry, SourceIds(body)[0]);
    }

    [Fact]
    public async Task Without_a_model_a_follow_up_carries_the_previous_topic_over()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database);
        using var browser = Browser(bot);
        using var stranger = Browser(bot);

        await AskAsync(browser, BirthQuestion);
        var body = await AskAsync(browser, "mất bao lâu?");
        Assert.True(body["answered"]!.GetValue<bool>());
        Assert.Equal(BirthEntry, body["faqId"]!.GetValue<string>());
        Assert.Equal("mất bao lâu?", body["question"]!.GetValue<string>());
        // The same words from a resident with no previous turn carry nothing over: alone the question is too thin to
        // answer, so it is handed over, with the general entry on time limits offered, not the birth entry.
        var alone = await AskAsync(stranger, "mất bao lâu?");
        Assert.False(alone["answered"]!.GetValue<bool>());
        var offered = alone["relatedQuestions"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();
        Assert.Contains("dvc-thoi-gian-giai-quyet", offered);
        Assert.DoesNotContain(BirthEntry, offered);
    }

    [Fact]
    public async Task The_endpoint_receives_no_unmasked_phone_id_or_account_number()
    {
        await using var ai = await FakeOpenAiServer.StartAsync();
        const string Draft = "Bà con mở VNeID, bấm **Quên mật khẩu** [S1].";
        ai.Script(Draft, "Quên mật khẩu VNeID thì lấy lại thế nào?", Draft, Draft);
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database, ai.Settings());
        using var browser = Browser(bot);

        Assert.True((await AskAsync(browser, "tôi quên mật khẩu vneid, sđt của tôi là 0912 345 678"))["composed"]!.GetValue<bool>());
        Assert.True((await AskAsync(browser, "còn CCCD 001203004567 thì sao?"))["composed"]!.GetValue<bool>());
        Assert.True((await AskAsync(browser, "quên mật khẩu vneid thì lấy lại thế nào tài khoản 1903 5678 9012?"))["composed"]!.GetValue<bool>());
        Assert.Equal(4, ai.Requests.Count);
        var sent = string.Join("\n", ai.Requests.Select(r => r.ToJsonString()));
        foreach (var number in new[] { "001203004567", "0912 345 678", "0912345678", "1903 5678 9012", "190356789012" })
            Assert.DoesNotContain(number, sent);
        Assert.Contains("*********567", sent); // the question was sent, masked
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_spent_daily_budget_stops_the_calls_and_retrieval_answers(DatabaseProvider provider)
    {
        await using var ai = await FakeOpenAiServer.StartAsync();
        ai.Script(GoodBirthDraft, GoodBirthDraft);
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var bot = await RunningBot.StartAsync(database, ai.Settings(budget: 100));
        using var browser = Browser(bot);

        Assert.True((await AskAsync(browser, BirthQuestion))["composed"]!.GetValue<bool>());
        var second = await AskAsync(browser, BirthQuestion);
        Assert.False(second["composed"]!.GetValue<bool>());
        Assert.StartsWith("Một hồ sơ trực tuyến làm được cả 3 việc", second["answer"]!.GetValue<string>());
        Assert.Single(ai.Requests);
    }

    [Fact]
    public async Task Three_conversations_through_the_stand_in()
    {
        await using var ai = await FakeOpenAiServer.StartAsync();
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database, ai.Settings(timeoutSeconds: 2));
        var turns = new (string Resident, string Question, ScriptedReply[] Script, string Expected)[]
        {
            ("bà Lan", "quen mat khau vneid phai lam sao", [new("Bà con làm thế này:\n1. Mở VNeID, bấm **Quên mật khẩu** [S1].\n2. Nhập số định danh và số điện thoại đã đăng ký, rồi mã OTP gửi về tin nhắn [S1].\n3. Đặt mật khẩu mới [S1].\nKhông nhận được mã thì mang thẻ căn cước đến Công an xã [S1].")], ComposeOutcomes.Composed),
            ("bà Lan", "còn đổi mật khẩu thì sao?", [new("Muốn đổi mật khẩu VNeID thì làm thế nào?"), new("Bà con đăng nhập VNeID, vào **Cài đặt**, chọn **Thay đổi mật khẩu** [S1]. Nếu cần hỗ trợ gọi 1900 0368 [S1].")], ComposeOutcomes.Rejected),
            ("ông Tư", "lam giay khai sinh online cho chau", [new(GoodBirthDraft)], ComposeOutcomes.Composed),
            ("ông Tư", "mất bao lâu?", [new("Đăng ký khai sinh trực tuyến cho cháu mất bao lâu?"), new("Khoảng 3 ngày làm việc [S1].", TimeSpan.FromSeconds(6))], ComposeOutcomes.Unavailable),
            ("chị Hoa", "chuyển tiền bằng mã QR có mất phí không", [new("Chuyển khoản bằng mã QR thường miễn phí, nhưng tùy ngân hàng có thể thu 1.100 đồng mỗi lần [S1].")], ComposeOutcomes.Rejected),
            ("chị Hoa", "còn người già thì sao?", [new("Người già chuyển tiền bằng mã QR có mất phí không?"), new("Bà con cao tuổi nhờ con cháu hoặc Tổ công nghệ số cộng đồng cài giúp [S1].")], ""),
        };
        foreach (var (name, question, script, expected) in turns)
        {
            var before = ai.Requests.Count;
            ai.Script(script);
            await using var scope = bot.App.Services.CreateAsyncScope();
            var residents = scope.ServiceProvider.GetRequiredService<Residents>();
            var resident = await residents.GetOrCreateAsync("web", name, name, name, default);
            var outcome = await scope.ServiceProvider.GetRequiredService<QuestionAnswerer>().AskAsync("web", resident, question);
            var sent = ai.Requests.Skip(before).Select(r => r["messages"]!.AsArray().Last()!["content"]!.GetValue<string>()).ToList();
            log.WriteLine($"## {name}: {question}");
            log.WriteLine($"   retrieval: answered={outcome.Answer.Answered} faq={outcome.Answer.FaqId} score={outcome.Answer.Score}");
            for (var i = 0; i < sent.Count; i++)
                log.WriteLine($"   stand-in call {i + 1} returned: {(i < script.Length ? script[i].Content.ReplaceLineEndings(" / ") : "(nothing)")}{(i < script.Length && script[i].Delay > TimeSpan.Zero ? $" after {script[i].Delay.TotalSeconds:0} s" : "")}");
            log.WriteLine($"   outcome: {outcome.Composition.Outcome}");
            log.WriteLine($"   resident got: {outcome.Reply.ReplaceLineEndings(" / ")}");
            if (expected.Length > 0) Assert.StartsWith(expected, outcome.Composition.Outcome);
        }
    }
}
