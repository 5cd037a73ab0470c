using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bot.Broadcasts;
using Bot.Storage;
using Bot.Tests.Fakes;
using Microsoft.EntityFrameworkCore;

namespace Bot.Tests.Broadcasts;

/// <summary>Helpers shared by the broadcast tests: residents in the database, the staff API, the fake's deliveries.</summary>
public static class BroadcastScenario
{
    public const string ApiKey = "staff-key-0123456789abcdef";

    /// <summary>Residents with chat ids firstChat, firstChat+1, …; subscribed to topics ("" = all) unless told otherwise.</summary>
    /// <summary>lastInboundAt and windowMessages: where the resident stands in the Zalo OA free window.</summary>
    public static async Task<List<long>> SeedResidentsAsync(BotDbContext db, long firstChat, int count, string topics = "",
        bool subscribed = true, bool blocked = false, string channel = "telegram", DateTimeOffset? lastInboundAt = null, int windowMessages = 0)
    {
        var now = DateTimeOffset.UtcNow;
        var chats = Enumerable.Range(0, count).Select(i => firstChat + i).ToList();
        db.Residents.AddRange(chats.Select(chat => new Resident
        {
            Channel = channel, PlatformUserId = chat.ToString(), ChatId = chat.ToString(), DisplayName = $"Cư dân {chat}",
            Subscribed = subscribed, ConsentAt = subscribed ? now : null, Topics = topics, Blocked = blocked, CreatedAt = now, LastSeenAt = now,
            LastInboundAt = lastInboundAt, WindowMessages = windowMessages,
        }));
        await db.SaveChangesAsync();
        return chats;
    }

    public static HttpClient StaffClient(Uri baseAddress)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    public static async Task<long> CreateAsync(HttpClient staff, object request)
    {
        var response = await staff.PostAsJsonAsync("/api/admin/broadcasts", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
    }

    public static async Task<JsonObject> StatusAsync(HttpClient staff, long id) =>
        (await staff.GetFromJsonAsync<JsonObject>($"/api/admin/broadcasts/{id}"))!;

    /// <summary>Waits (generously: this is not a timing assertion) until the broadcast is done.</summary>
    public static async Task<JsonObject> WaitDoneAsync(HttpClient staff, long id, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var status = await StatusAsync(staff, id);
            if (status["status"]!.GetValue<string>() is BroadcastStatus.Done or BroadcastStatus.Cancelled) return status;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"broadcast {id} not done: {status.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    /// <summary>Accepted broadcast messages (they end with the footer) per chat.</summary>
    public static Dictionary<long, int> DeliveredPerChat(FakeTelegramServer telegram, string marker) =>
        telegram.CallsTo("sendMessage").Where(c => c.StatusCode == 200 && c.Text?.Contains(marker) == true && c.Text.EndsWith(BroadcastText.Footer))
            .GroupBy(c => c.ChatId!.Value).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Accepted Zalo OA broadcast messages (consultation or promotion, ending with the footer) per user.</summary>
    public static Dictionary<long, int> DeliveredPerChat(FakeZaloOaServer zalo, string marker) =>
        zalo.Calls.Where(c => c.Error == 0 && c.Text?.Contains(marker) == true && c.Text.EndsWith(BroadcastText.Footer))
            .GroupBy(c => long.Parse(c.UserId!)).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The counts of one channel in the broadcast status (an absent channel: no rows).</summary>
    public static int ChannelCount(JsonObject status, string channel, string count) =>
        status["channels"]?[channel]?[count]?.GetValue<int>() ?? 0;

    public static Task<Dictionary<long, string>> RowStatusesAsync(BotDbContext db, long broadcastId) =>
        db.BroadcastDeliveries.Where(d => d.BroadcastId == broadcastId).ToDictionaryAsync(d => long.Parse(d.ChatId), d => d.Status);
}
