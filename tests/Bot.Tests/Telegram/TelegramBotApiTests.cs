using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Channels.Telegram;
using Bot.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace Bot.Tests.Telegram;

public sealed class TelegramBotApiTests : IAsyncLifetime
{
    // Timing assertions are lower bounds only: a slow machine makes waits longer, never shorter.
    private static readonly TimeSpan AlmostOneSecond = TimeSpan.FromMilliseconds(900);

    private FakeTelegramServer _server = null!;
    private readonly CapturedLogs _logs = new();
    private readonly List<ServiceProvider> _providers = [];

    public async Task InitializeAsync() => _server = await FakeTelegramServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers) await provider.DisposeAsync();
        await _server.DisposeAsync();
    }

    /// <summary>The client as the host registers it, pointed at the fake server unless baseUrl says otherwise.</summary>
    private ServiceProvider Services(string? token = null, string? baseUrl = null, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = token ?? _server.Token,
            ["Telegram:ApiBaseUrl"] = baseUrl ?? _server.BaseUrl,
            ["Telegram:RetryBaseDelay"] = "00:00:00.05",
        }.Concat(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddTelegramBotApi();
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }

    private TelegramBotApi Client(string? token = null) => Services(token).GetRequiredService<TelegramBotApi>();

    [Fact]
    public async Task SendMessage_posts_snake_case_json_with_an_inline_keyboard_and_returns_the_message()
    {
        var keyboard = new InlineKeyboardMarkup([
            [InlineKeyboardButton.WithCallbackData("VNeID", "topic:vneid"), InlineKeyboardButton.WithCallbackData("Dịch vụ công", "topic:dvc")],
            [InlineKeyboardButton.WithUrl("Cổng DVC", "https://dichvucong.gov.vn")],
        ]);

        var sent = (await Client().SendMessageAsync(42, "<b>Chào bạn</b>", replyMarkup: keyboard, replyToMessageId: 7))!;

        Assert.Equal(42, sent.Chat.Id);
        Assert.Equal("<b>Chào bạn</b>", sent.Text);
        Assert.True(sent.Id > 0);
        var body = Assert.Single(_server.CallsTo("sendMessage")).Body;
        Assert.Equal(42, body["chat_id"]!.GetValue<long>());
        Assert.Equal("HTML", body["parse_mode"]!.GetValue<string>(), ignoreCase: true); // the Bot API reads parse_mode case-insensitively
        Assert.Equal(7, body["reply_parameters"]!["message_id"]!.GetValue<long>());
        var rows = body["reply_markup"]!["inline_keyboard"]!.AsArray();
        Assert.Equal("topic:vneid", rows[0]![0]!["callback_data"]!.GetValue<string>());
        Assert.Equal("Dịch vụ công", rows[0]![1]!["text"]!.GetValue<string>());
        var urlButton = rows[1]![0]!.AsObject();
        Assert.Equal("https://dichvucong.gov.vn", urlButton["url"]!.GetValue<string>());
        Assert.False(urlButton.ContainsKey("callback_data")); // nulls are not written
        Assert.Equal("https://dichvucong.gov.vn", sent.ReplyMarkup!.InlineKeyboard.ElementAt(1).Single().Url);
    }

    [Fact]
    public async Task Other_methods_send_the_documented_fields()
    {
        var api = Client();

        var me = await api.GetMeAsync();
        await api.SetWebhookAsync("https://xa.example.vn/webhooks/telegram", "s3cret-token", [UpdateType.Message, UpdateType.CallbackQuery], maxConnections: 40, dropPendingUpdates: true);
        await api.DeleteWebhookAsync();
        await api.AnswerCallbackQueryAsync("cbq-1", "Đã ghi nhận");
        await api.SendChatActionAsync(42);
        await api.SetMyCommandsAsync([new BotCommand { Command = "start", Description = "Bắt đầu" }, new BotCommand { Command = "huy", Description = "Huỷ đăng ký nhận tin" }]);

        Assert.True(me.IsBot);
        Assert.Equal(FakeTelegramServer.BotUsername, me.Username);
        var webhook = _server.CallsTo("setWebhook").Single().Body;
        Assert.Equal("s3cret-token", webhook["secret_token"]!.GetValue<string>());
        Assert.True(webhook["drop_pending_updates"]!.GetValue<bool>());
        Assert.Equal(40, webhook["max_connections"]!.GetValue<int>());
        Assert.Equal(["message", "callback_query"], webhook["allowed_updates"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.Equal("cbq-1", _server.CallsTo("answerCallbackQuery").Single().Body["callback_query_id"]!.GetValue<string>());
        Assert.Equal("typing", _server.CallsTo("sendChatAction").Single().Body["action"]!.GetValue<string>());
        Assert.Equal("huy", _server.CallsTo("setMyCommands").Single().Body["commands"]![1]!["command"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_429_is_retried_after_retry_after()
    {
        _server.FailNext("sendMessage", 1, 429, retryAfter: 1);

        var sent = (await Client().SendMessageAsync(42, "Xin chào"))!;

        Assert.Equal("Xin chào", sent.Text);
        AssertRetriedOnceAfterRetryAfter("sendMessage");
    }

    private void AssertRetriedOnceAfterRetryAfter(string method)
    {
        var calls = _server.CallsTo(method);
        Assert.Equal([429, 200], calls.Select(c => c.StatusCode));
        Assert.True(calls[1].At - calls[0].At >= AlmostOneSecond, $"retried after {(calls[1].At - calls[0].At).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_429_pauses_every_sender_sharing_the_gate()
    {
        var services = Services();
        var broadcaster = services.GetRequiredService<TelegramBotApi>();
        var replier = services.GetRequiredService<TelegramBotApi>();
        var gate = services.GetRequiredService<TelegramRateGate>();
        _server.FailNext("sendMessage", 1, 429, retryAfter: 2);

        var broadcast = broadcaster.SendMessageAsync(1, "Tin nhắn chung", pacing: SendPacing.Broadcast);
        var limited = (await _server.WaitForAsync(c => c.StatusCode == 429)).Single();
        while (gate.PausedUntil is null && !broadcast.IsCompleted) await Task.Delay(10);
        await replier.SendMessageAsync(2, "Trả lời");
        await broadcast;

        var reply = _server.CallsTo("sendMessage").Single(c => c.ChatId == 2);
        Assert.True(reply.At - limited.At >= 2 * AlmostOneSecond, $"second sender went out {(reply.At - limited.At).TotalMilliseconds} ms after the 429");
        Assert.Equal(2, _server.CallsTo("sendMessage").Count(c => c.ChatId == 1));
    }

    [Fact]
    public async Task A_500_is_retried_and_then_succeeds()
    {
        _server.FailNext("sendMessage", 2, 500);

        var sent = (await Client().SendMessageAsync(42, "Thử lại"))!;

        Assert.Equal("Thử lại", sent.Text);
        Assert.Equal([500, 500, 200], _server.CallsTo("sendMessage").Select(c => c.StatusCode));
    }

    [Fact]
    public async Task Transient_failures_give_up_after_the_configured_attempts()
    {
        _server.FailNext("getMe", 5, 502);

        var error = await Assert.ThrowsAsync<TelegramTransientException>(() => Client().GetMeAsync());

        Assert.Equal(502, error.ErrorCode);
        Assert.Equal(3, _server.CallsTo("getMe").Count);
    }

    [Fact]
    public async Task A_blocked_chat_surfaces_as_forbidden_without_retry()
    {
        _server.BlockChat(7);

        var error = await Assert.ThrowsAsync<TelegramForbiddenException>(() => Client().SendMessageAsync(7, "Tin mới"));

        Assert.Equal(403, error.ErrorCode);
        Assert.Contains("blocked by the user", error.Description);
        Assert.Single(_server.CallsTo("sendMessage"));
    }

    [Fact]
    public async Task A_400_is_not_retried()
    {
        _server.FailNext("sendMessage", 1, 400, description: "Bad Request: can't parse entities: Unsupported start tag \"abc\"");

        var error = await Assert.ThrowsAsync<TelegramApiException>(() => Client().SendMessageAsync(42, "<abc>"));

        Assert.Equal(400, error.ErrorCode);
        Assert.StartsWith("Bad Request", error.Description);
        Assert.Single(_server.CallsTo("sendMessage"));
    }

    [Fact]
    public async Task Writes_other_than_sendMessage_do_not_retry_a_500()
    {
        _server.FailNext("answerCallbackQuery", 1, 500);

        await Assert.ThrowsAsync<TelegramTransientException>(() => Client().AnswerCallbackQueryAsync("cbq-9"));

        Assert.Single(_server.CallsTo("answerCallbackQuery"));
    }

    [Fact]
    public async Task GetUpdates_returns_queued_updates_and_the_next_offset_confirms_them()
    {
        var api = Client();
        _server.EnqueueUpdate(TelegramUpdateJson.PrivateText(1001, "Quên mật khẩu VNeID"));
        _server.EnqueueUpdate(TelegramUpdateJson.CallbackQuery(1001, "topic:vneid"));
        _server.EnqueueUpdate(TelegramUpdateJson.Photo(1002, caption: "giấy tờ"));

        var first = await api.GetUpdatesAsync(null, 0);
        var again = await api.GetUpdatesAsync(first[0].Id, 0);
        var afterConfirming = await api.GetUpdatesAsync(first[^1].Id + 1, 0);

        Assert.Equal(3, first.Length);
        Assert.Equal("Quên mật khẩu VNeID", first[0].Message!.Text);
        Assert.Equal(ChatType.Private, first[0].Message!.Chat.Type);
        Assert.Equal("topic:vneid", first[1].CallbackQuery!.Data);
        Assert.Null(first[2].Message!.Text);
        Assert.NotNull(first[2].Message!.Photo);
        Assert.Equal(first.Select(u => u.Id), again.Select(u => u.Id));
        Assert.Empty(afterConfirming);
        Assert.Equal(0, _server.PendingUpdateCount);
    }

    [Fact]
    public async Task GetUpdates_long_poll_returns_an_update_queued_while_it_waits()
    {
        var api = Client();

        var poll = api.GetUpdatesAsync(null, timeoutSeconds: 20);
        await Task.Delay(200);
        _server.EnqueueUpdate(TelegramUpdateJson.Command(1001, "start", "dang-ky"));
        var updates = await poll;

        var message = Assert.Single(updates).Message!;
        Assert.Equal("/start dang-ky", message.Text);
        Assert.Equal(MessageEntityType.BotCommand, message.Entities![0].Type);
    }

    [Fact]
    public async Task GetUpdates_waits_out_a_429_before_polling_again()
    {
        _server.FailNext("getUpdates", 1, 429, retryAfter: 1);

        Assert.Empty(await Client().GetUpdatesAsync(null, 0));

        AssertRetriedOnceAfterRetryAfter("getUpdates");
    }

    [Fact]
    public async Task Non_text_and_membership_updates_are_readable()
    {
        var api = Client();
        _server.EnqueueUpdate(TelegramUpdateJson.Sticker(5));
        _server.EnqueueUpdate(TelegramUpdateJson.Voice(5));
        _server.EnqueueUpdate(TelegramUpdateJson.GroupMention(-1001234567890, 6, "giờ làm việc?"));
        _server.EnqueueUpdate(TelegramUpdateJson.BotBlocked(5));

        var updates = await api.GetUpdatesAsync(null, 0);

        Assert.NotNull(updates[0].Message!.Sticker);
        Assert.NotNull(updates[1].Message!.Voice);
        Assert.Equal(-1001234567890, updates[2].Message!.Chat.Id);
        Assert.Equal(MessageEntityType.Mention, updates[2].Message!.Entities![0].Type);
        Assert.Equal(ChatMemberStatus.Kicked, updates[3].MyChatMember!.NewChatMember.Status);
    }

    [Fact]
    public async Task A_wrong_token_surfaces_as_401_without_retry()
    {
        var error = await Assert.ThrowsAsync<TelegramApiException>(() => Client("999:wrong-token").GetMeAsync());

        Assert.Equal(401, error.ErrorCode);
        Assert.Equal("Unauthorized", error.Description);
        Assert.Single(_server.Calls);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_transient_failure()
    {
        var deadUrl = _server.BaseUrl;
        await _server.DisposeAsync();
        _server = await FakeTelegramServer.StartAsync();
        var api = Services(baseUrl: deadUrl).GetRequiredService<TelegramBotApi>();

        var error = await Assert.ThrowsAsync<TelegramTransientException>(() => api.GetMeAsync());

        Assert.Equal(0, error.ErrorCode);
    }

    [Fact]
    public async Task Sends_stay_under_the_configured_rate()
    {
        // Half the server's limit: requests bunched up by a busy machine still stay under it.
        _server.EnforceRateLimit(10);
        var api = Services(settings: ("Telegram:MaxMessagesPerSecond", "5")).GetRequiredService<TelegramBotApi>();

        await Task.WhenAll(Enumerable.Range(1, 12).Select(chat => api.SendMessageAsync(chat, "Thông báo")));

        Assert.Equal(0, _server.RateLimitedCount);
        Assert.Equal(12, _server.CallsTo("sendMessage").Count(c => c.StatusCode == 200));
    }

    [Fact]
    public async Task Broadcasts_keep_the_per_chat_interval()
    {
        var api = Client();
        await api.GetMeAsync(); // warm-up: the first request's own start-up cost would shorten the measured gap

        await api.SendMessageAsync(3, "Tin 1", pacing: SendPacing.Broadcast);
        await api.SendMessageAsync(3, "Tin 2", pacing: SendPacing.Broadcast);
        var sends = _server.CallsTo("sendMessage");

        Assert.True(sends[1].At - sends[0].At >= TimeSpan.FromMilliseconds(700), $"broadcast gap {(sends[1].At - sends[0].At).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Logs_never_hold_the_token_or_the_message_text()
    {
        _server.FailNext("sendMessage", 1, 429, retryAfter: 1);
        _server.FailNext("sendMessage", 1, 500);
        _server.BlockChat(13);
        var api = Client();

        await api.SendMessageAsync(12, "Số CCCD của tôi là 001203004567");
        await Assert.ThrowsAsync<TelegramForbiddenException>(() => api.SendMessageAsync(13, "Số CCCD của tôi là 001203004567"));

        Assert.NotEmpty(_logs.Lines);
        Assert.Contains(_logs.Lines, l => l.Contains("sendMessage"));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(_server.Token) || l.Contains("001203004567"));
    }

    [Fact]
    public void Html_escaping_replaces_ampersand_and_angle_brackets()
    {
        Assert.Equal("Phí &lt;50.000đ&gt; &amp; miễn phí", TelegramHtml.Escape("Phí <50.000đ> & miễn phí"));
        Assert.Equal("&amp;lt;", TelegramHtml.Escape("&lt;"));
        Assert.Equal("Không có gì \"đặc biệt\"", TelegramHtml.Escape("Không có gì \"đặc biệt\""));
    }

    [Fact]
    public void Split_cuts_a_long_vietnamese_answer_at_blank_lines()
    {
        var paragraphs = VietnameseParagraphs().ToList();
        var text = string.Join("\n\n", paragraphs);
        Assert.InRange(text.Length, 10_000, 11_000);

        var chunks = TelegramText.Split(text);

        Assert.True(chunks.Count >= 3);
        Assert.All(chunks, c => Assert.InRange(c.Length, 1, 4096));
        Assert.Equal(text, string.Join("\n\n", chunks)); // cut only at blank lines, and only the blank line dropped
        Assert.All(chunks, c => Assert.All(c.Split("\n\n"), p => Assert.Contains(p, paragraphs)));
    }

    [Fact]
    public void Split_falls_back_to_lines_then_spaces_and_never_splits_surrogate_pairs()
    {
        var lines = string.Join("\n", Enumerable.Repeat("Bước 1: mở ứng dụng VNeID và chọn Đăng nhập.", 10));
        var byLines = TelegramText.Split(lines, 100);
        Assert.All(byLines, c => Assert.InRange(c.Length, 1, 100));
        Assert.Equal(lines, string.Join("\n", byLines));

        var words = string.Join(" ", Enumerable.Repeat("thanh toán", 30));
        var bySpaces = TelegramText.Split(words, 50);
        Assert.All(bySpaces, c => Assert.InRange(c.Length, 1, 50));
        Assert.Equal(words, string.Join(" ", bySpaces));

        var emoji = string.Concat(Enumerable.Repeat("👍", 30)); // 60 UTF-16 code units, no space
        var hard = TelegramText.Split(emoji, 25);
        Assert.All(hard, c => Assert.False(char.IsHighSurrogate(c[^1])));
        Assert.Equal(emoji, string.Concat(hard));

        Assert.Empty(TelegramText.Split("  \n\n  "));
        Assert.Equal(["Ngắn"], TelegramText.Split("Ngắn"));
    }

    [Fact]
    public void Bad_configuration_stops_start_up_naming_the_key_without_echoing_the_token()
    {
        static string Refused(string token, string baseUrl = "https://api.telegram.org", string mode = "Polling")
        {
            var services = new ServiceCollection();
            services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Telegram:Mode"] = mode,
                ["Telegram:BotToken"] = token,
                ["Telegram:ApiBaseUrl"] = baseUrl,
            }).Build());
            services.AddTelegramBotApi();
            using var provider = services.BuildServiceProvider();
            return Assert.Single(Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TelegramOptions>>().Value).Failures);
        }

        Assert.StartsWith("Telegram:BotToken: ", Refused(""));
        var malformed = Refused("not a token secret-part");
        Assert.StartsWith("Telegram:BotToken: ", malformed);
        Assert.DoesNotContain("secret-part", malformed);
        Assert.StartsWith("Telegram:ApiBaseUrl: ", Refused(FakeTelegramServer.DefaultToken, "ftp://x"));
        Assert.StartsWith("Telegram:Mode: ", Refused(FakeTelegramServer.DefaultToken, mode: "Fax"));
        Assert.StartsWith("Telegram:PublicUrl: ", Refused(FakeTelegramServer.DefaultToken, mode: "Webhook"));
    }

    private static IEnumerable<string> VietnameseParagraphs()
    {
        string[] sentences =
        [
            "Để đăng ký tài khoản định danh điện tử mức độ 2, công dân mang căn cước đến Công an xã.",
            "Cán bộ sẽ chụp ảnh chân dung và thu vân tay để xác thực thông tin.",
            "Sau khi được phê duyệt, bạn nhận tin nhắn kích hoạt tài khoản VNeID.",
            "Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia giúp tiết kiệm thời gian đi lại.",
            "Thanh toán không dùng tiền mặt bằng mã QR được chấp nhận tại bộ phận một cửa.",
        ];
        for (var i = 0; i < 26; i++)
            yield return $"Mục {i + 1}. " + string.Join(" ", Enumerable.Range(0, 5).Select(k => sentences[(i + k) % sentences.Length]));
    }

    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose() { }

        private sealed class Logger(CapturedLogs logs) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Lines.Enqueue(formatter(state, exception) + exception);
        }
    }
}
