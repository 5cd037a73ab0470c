using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Conversation;

namespace Bot.Channels.ZaloOa;

/// <summary>
/// The OA API v3 consultation message (POST {ApiBaseUrl}/v3.0/oa/message/cs, access_token header): replies and staff
/// replies to a resident who wrote to the OA. Zalo answers {"error": 0, …} on success, a negative error code otherwise.
/// </summary>
public sealed class ZaloOaApi(HttpClient http, ZaloOaOptions options, TimeProvider time, ILogger<ZaloOaApi> logger)
{
    /// <summary>Zalo's limit on one OA text message.</summary>
    public const int MaxMessageLength = 2000;

    /// <summary>Error codes that mean this user cannot get the message (not a follower, blocked the OA, left Zalo).</summary>
    private static readonly HashSet<int> Unreachable = [-213, -217, -230];

    private readonly SendSpacing spacing = new(options.MaxMessagesPerSecond, time);

    public async Task SendTextAsync(string userId, string text, CancellationToken ct)
    {
        await spacing.WaitToSendAsync(ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, options.ApiBaseUrl.TrimEnd('/') + "/v3.0/oa/message/cs")
        {
            Content = JsonContent.Create(new { recipient = new { user_id = userId }, message = new { text } }),
        };
        request.Headers.Add("access_token", options.AccessToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.RequestTimeout);
        using var response = await http.SendAsync(request, timeout.Token);
        JsonNode? answer = null;
        try { answer = await response.Content.ReadFromJsonAsync<JsonNode>(timeout.Token); }
        catch (JsonException) { }
        var error = answer?["error"]?.GetValueKind() == JsonValueKind.Number ? answer["error"]!.GetValue<int>() : (int?)null;
        if (response.IsSuccessStatusCode && error == 0) return;
        var message = answer?["message"]?.ToString() ?? response.ReasonPhrase ?? "";
        logger.LogDebug("Zalo OA message/cs: HTTP {Status} error {Error} {Message}", (int)response.StatusCode, error, message);
        if (error is { } code && Unreachable.Contains(code)) throw new ResidentUnreachableException($"Zalo OA {code} {message}");
        throw new HttpRequestException($"Zalo OA message/cs: HTTP {(int)response.StatusCode}, error {error?.ToString() ?? "?"} {message}");
    }
}
