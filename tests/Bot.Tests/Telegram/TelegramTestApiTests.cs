using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bot.Storage;
using Bot.Tests.Broadcasts;
using Bot.Tests.Infrastructure;

namespace Bot.Tests.Telegram;

/// <summary>
/// A whole conversation through a Bot API server no one here wrote: npm's telegram-test-api (4.2.1, installed by
/// test.sh with npm ci into tests/telegram-test-api), the bot in polling mode. That server answers some calls unlike
/// Telegram ("result": null for answerCallbackQuery, an error for sendChatAction and setMyCommands, dates in
/// milliseconds): none of it may cost the resident a reply.
/// </summary>
public sealed class TelegramTestApiTests
{
    private const string Token = "777000111:AAtelegram-test-api-token_0123456789";
    private const long Chat = 4242;

    [Fact]
    public async Task A_whole_conversation_is_answered_through_telegram_test_api()
    {
        await using var server = await TestApiServer.StartAsync();
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database,
            "--Telegram:Mode=Polling", $"--Telegram:BotToken={Token}", $"--Telegram:ApiBaseUrl={server.BaseUrl}",
            "--Telegram:PollTimeoutSeconds=1", "--Telegram:TypingDelayMs=0", "--Commune:Name=xã Vĩnh Phong");

        var welcome = await server.SayAsync("/start", command: true);
        Assert.Contains(welcome, m => m.Text.Contains("Xin chào"));
        Assert.Contains(welcome, m => m.Buttons.Any(b => b.StartsWith("t:")));

        var answer = await server.SayAsync("quen mat khau vneid thi lam sao");
        Assert.Contains(answer, m => m.Text.Contains("VNeID"));
        var related = answer.SelectMany(m => m.Buttons).First(b => b.StartsWith("q:"));

        var offTopic = await server.SayAsync("giá vàng hôm nay bao nhiêu");
        Assert.NotEmpty(offTopic);
        Assert.DoesNotContain(offTopic, m => m.Text == answer[0].Text);

        var subscribed = await server.SayAsync("/subscribe", command: true);
        Assert.Contains(subscribed, m => m.Text.Contains("/unsubscribe"));

        var second = await server.SayAsync("nop ho so truc tuyen tren cong dich vu cong the nao");
        Assert.Contains(second, m => m.Text.Contains("dịch vụ công", StringComparison.OrdinalIgnoreCase));

        var pressed = await server.PressAsync(related);
        Assert.NotEmpty(pressed);
    }

    private sealed record BotMessage(string Text, IReadOnlyList<string> Buttons);

    /// <summary>The node process running tests/telegram-test-api/server.js, and the resident's side of its HTTP API.</summary>
    private sealed class TestApiServer : IAsyncDisposable
    {
        private readonly Process process;
        private readonly HttpClient http;
        public string BaseUrl { get; }

        private TestApiServer(Process process, string baseUrl)
        {
            this.process = process;
            BaseUrl = baseUrl;
            http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        }

        public static async Task<TestApiServer> StartAsync()
        {
            var folder = Folder();
            var port = BotProcess.FreePort();
            var start = new ProcessStartInfo("node", ["server.js", port.ToString()])
            {
                WorkingDirectory = folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            };
            var process = Process.Start(start)!;
            var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (ready != "ready")
                throw new InvalidOperationException($"telegram-test-api did not start: {ready} {await process.StandardError.ReadToEndAsync()}");
            return new TestApiServer(process, $"http://127.0.0.1:{port}");
        }

        private static string Folder()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var folder = Path.Combine(dir.FullName, "tests", "telegram-test-api");
                if (Directory.Exists(Path.Combine(folder, "node_modules", "telegram-test-api"))) return folder;
                if (File.Exists(Path.Combine(folder, "package.json")))
                    throw new InvalidOperationException($"telegram-test-api is not installed: run `npm ci --prefix {folder}` (test.sh does).");
            }
            throw new DirectoryNotFoundException("tests/telegram-test-api not found above the test folder");
        }

        private JsonObject Person() => new()
        {
            ["id"] = Chat, ["first_name"] = "Lan", ["username"] = "lan_vinhphong", ["is_bot"] = false,
        };

        private JsonObject Common() => new()
        {
            ["botToken"] = Token,
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["from"] = Person(),
            ["chat"] = new JsonObject { ["id"] = Chat, ["first_name"] = "Lan", ["username"] = "lan_vinhphong", ["type"] = "private" },
        };

        /// <summary>The resident sends text (a command with its bot_command entity); returns the bot's replies.</summary>
        public async Task<IReadOnlyList<BotMessage>> SayAsync(string text, bool command = false)
        {
            var message = Common();
            message["text"] = text;
            if (command)
                message["entities"] = new JsonArray(new JsonObject { ["offset"] = 0, ["length"] = text.Split(' ')[0].Length, ["type"] = "bot_command" });
            (await http.PostAsJsonAsync(command ? "/sendCommand" : "/sendMessage", message)).EnsureSuccessStatusCode();
            return await RepliesAsync();
        }

        /// <summary>The resident presses an inline button with this callback data; returns the bot's replies.</summary>
        public async Task<IReadOnlyList<BotMessage>> PressAsync(string data)
        {
            var callback = new JsonObject
            {
                ["botToken"] = Token, ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["from"] = Person(), ["message"] = Common(), ["data"] = data,
            };
            (await http.PostAsJsonAsync("/sendCallback", callback)).EnsureSuccessStatusCode();
            return await RepliesAsync();
        }

        /// <summary>Waits for the bot's first reply, then takes whatever else it sends in the next moment (a long answer comes in parts).</summary>
        private async Task<IReadOnlyList<BotMessage>> RepliesAsync()
        {
            var replies = new List<BotMessage>();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            var quietSince = DateTime.MaxValue;
            while (DateTime.UtcNow < deadline && (replies.Count == 0 || DateTime.UtcNow - quietSince < TimeSpan.FromSeconds(1.5)))
            {
                var answer = await http.PostAsJsonAsync("/getUpdates", new JsonObject { ["token"] = Token, ["chatId"] = Chat });
                var result = (await answer.Content.ReadFromJsonAsync<JsonObject>())!["result"]!.AsArray();
                foreach (var update in result)
                {
                    var message = update!["message"]!;
                    var buttons = message["reply_markup"]?["inline_keyboard"]?.AsArray()
                        .SelectMany(row => row!.AsArray()).Select(b => b!["callback_data"]?.GetValue<string>() ?? "").ToList() ?? [];
                    replies.Add(new BotMessage(message["text"]!.GetValue<string>(), buttons));
                }
                if (result.Count > 0) quietSince = DateTime.UtcNow;
                await Task.Delay(100);
            }
            Assert.True(replies.Count > 0, "the bot did not answer within 30 s");
            return replies;
        }

        public async ValueTask DisposeAsync()
        {
            http.Dispose();
            process.StandardInput.Close();
            if (!process.WaitForExit(5000)) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }
}
