using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bot.Storage;
using Bot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Host;

/// <summary>What a careless client or an attacker sends: always a clear 4xx in Vietnamese, never a 5xx, nothing left behind.</summary>
public sealed partial class HardeningTests
{
    private const string ApiKey = "staff-key-0123456789abcdef";

    [GeneratedRegex("[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]")]
    private static partial Regex VietnameseLetter();

    private static HttpRequestMessage Request(HttpMethod method, string path, string? body = null, string contentType = "application/json", bool staff = false)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType);
        if (staff) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return request;
    }

    [Fact]
    public async Task Bad_requests_get_problem_details_with_a_Vietnamese_reason()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database, $"--Admin:ApiKeys:0={ApiKey}");
        (HttpRequestMessage Request, HttpStatusCode Status)[] cases =
        [
            (Request(HttpMethod.Post, "/api/admin/login", "{not json"), HttpStatusCode.BadRequest),
            (Request(HttpMethod.Post, "/api/ask", "{not json"), HttpStatusCode.BadRequest),
            (Request(HttpMethod.Post, "/api/ask", ""), HttpStatusCode.BadRequest),
            (Request(HttpMethod.Post, "/api/ask", "{\"text\": 12}"), HttpStatusCode.BadRequest),
            (Request(HttpMethod.Post, "/api/ask", "text=hello", "application/x-www-form-urlencoded"), HttpStatusCode.UnsupportedMediaType),
            (Request(HttpMethod.Post, "/api/feedback", "{\"turnId\": \"abc\", \"helpful\": true}"), HttpStatusCode.BadRequest),
            (Request(HttpMethod.Get, "/api/admin/me"), HttpStatusCode.Unauthorized),
            (Request(HttpMethod.Get, "/api/khong-co"), HttpStatusCode.NotFound),
            (Request(HttpMethod.Delete, "/api/ask"), HttpStatusCode.MethodNotAllowed),
            (Request(HttpMethod.Post, "/api/admin/broadcasts", "{\"text\": \"Tin\", \"sendAt\": \"mai\"}", staff: true), HttpStatusCode.BadRequest),
            (Request(HttpMethod.Post, "/api/admin/handovers/1/reply", "[]", staff: true), HttpStatusCode.BadRequest),
            (Request(HttpMethod.Get, "/api/admin/handovers?limit=abc", staff: true), HttpStatusCode.BadRequest),
        ];
        foreach (var (request, status) in cases)
        {
            var response = await bot.Client.SendAsync(request);
            var what = $"{request.Method} {request.RequestUri}";
            Assert.True(status == response.StatusCode, $"{what}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var detail = (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]?.GetValue<string>() ?? "";
            Assert.True(VietnameseLetter().IsMatch(detail), $"{what}: detail \"{detail}\"");
        }
    }

    [Fact]
    public async Task A_broadcast_for_the_year_9999_is_refused_and_nothing_is_left_behind()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database, $"--Admin:ApiKeys:0={ApiKey}");
        foreach (var sendAt in new[] { "9999-12-31T23:59:59Z", DateTimeOffset.UtcNow.AddYears(3).ToString("O") })
        {
            var response = await bot.Client.SendAsync(Request(HttpMethod.Post, "/api/admin/broadcasts", $"{{\"text\": \"Tin\", \"sendAt\": \"{sendAt}\"}}", staff: true));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("năm", (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        }
        await using var scope = bot.App.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<BotDbContext>().Broadcasts.CountAsync());
    }

    [Fact]
    public async Task A_webhook_body_that_trickles_in_gets_a_client_error_not_a_server_error()
    {
        await using var fixture = await Bot.Tests.Telegram.TelegramBotFixture.StartAsync();
        var bot = fixture.Bot;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(bot.BaseAddress.Host, bot.BaseAddress.Port);
        var stream = tcp.GetStream();
        var head = $"POST /webhooks/telegram HTTP/1.1\r\nHost: {bot.BaseAddress.Authority}\r\nContent-Type: application/json\r\n" +
                   $"X-Telegram-Bot-Api-Secret-Token: {Bot.Tests.Telegram.TelegramBotFixture.Secret}\r\n" + "Content-Length: 2000\r\n\r\n{\"update_id\":";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.NotNull(statusLine);
        var code = int.Parse(statusLine!.Split(' ')[1]);
        Assert.True(code is 400 or 408, statusLine);
    }
}
