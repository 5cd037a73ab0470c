using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bot.Storage;
using Bot.Tests.Fakes;
using Bot.Tests.Infrastructure;
using Bot.Tests.Telegram;
using Microsoft.EntityFrameworkCore;

namespace Bot.Tests.Admin;

public sealed class HandoverListTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers();

    [Theory, MemberData(nameof(Providers))]
    public async Task Staff_page_through_every_open_handover_filter_them_and_see_the_count(DatabaseProvider provider)
    {
        await using var f = await TelegramBotFixture.StartAsync("Webhook", provider);
        await f.DbAsync(async db =>
        {
            var start = DateTimeOffset.UtcNow.AddHours(-2);
            db.Handovers.AddRange(Enumerable.Range(0, 992).Select(i => new Handover
            {
                Channel = i % 4 == 0 ? "web" : "telegram", Question = $"câu hỏi {i}", CreatedAt = start.AddSeconds(i),
                Status = i < 30 ? HandoverStatus.Answered : HandoverStatus.Open,
            }));
            return await db.SaveChangesAsync();
        });
        using var staff = new HttpClient { BaseAddress = f.Bot.BaseAddress };
        staff.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TelegramBotFixture.ApiKey);

        var seen = new HashSet<long>();
        string? next = "/api/admin/handovers?status=open&limit=200";
        var pages = 0;
        while (next is not null)
        {
            var page = (await staff.GetFromJsonAsync<JsonObject>(next))!;
            Assert.Equal(962, page["total"]!.GetValue<int>());
            foreach (var item in page["items"]!.AsArray())
            {
                Assert.Equal("open", item!["status"]!.GetValue<string>());
                Assert.True(seen.Add(item["id"]!.GetValue<long>()));
            }
            next = page["next"]?.GetValue<string>();
            pages++;
        }
        Assert.Equal(962, seen.Count);
        Assert.Equal(5, pages);

        var web = (await staff.GetFromJsonAsync<JsonObject>("/api/admin/handovers?status=open&channel=web"))!;
        Assert.Equal(240, web["total"]!.GetValue<int>());
        Assert.All(web["items"]!.AsArray(), item => Assert.Equal("web", item!["channel"]!.GetValue<string>()));
        var all = (await staff.GetFromJsonAsync<JsonObject>("/api/admin/handovers"))!;
        Assert.Equal(992, all["total"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.GetAsync("/api/admin/handovers?limit=5000")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.GetAsync("/api/admin/handovers?status=mo")).StatusCode);
    }

    [Fact]
    public async Task A_message_of_only_zero_width_characters_never_becomes_a_handover()
    {
        await using var f = await TelegramBotFixture.StartAsync("Webhook");
        const string invisible = "\u200B\u200C\u200D\uFEFF\u2060 \u200B";
        await f.PostAcceptedAsync(TelegramUpdateJson.PrivateText(9009, invisible));
        Assert.Contains("/menu", (await f.NthMessageToAsync(9009, 1)).Text);

        var web = await f.Bot.Client.PostAsJsonAsync("/api/ask", new { text = invisible });
        Assert.Equal(HttpStatusCode.BadRequest, web.StatusCode);
        Assert.Equal(0, await f.DbAsync(db => db.Handovers.CountAsync()));
        Assert.Equal(0, await f.DbAsync(db => db.ConversationTurns.CountAsync()));
    }
}
