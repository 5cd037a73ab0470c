using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Conversation;

namespace Bot.Channels.ZaloOa;

/// <summary>
/// The OA API v3 consultation message (POST {ApiBaseUrl}/v3.0/oa/message/cs, access_token header): replies and staff
/// replies to a resident who wrote to the OA. Zalo answers {"error": 0, …} on success, a negative error code otherwise.
/// </summary>
public sealed class ZaloOaApi(HttpClient http, ZaloOaTokens tokens, ZaloOaOptions options, TimeProvider time, ILogger<ZaloOaApi> logger)
{
    /// <summary>Zalo's limit on one OA text message.</summary>
    public const int MaxMessageLength = 2000;

    /// <summary>Error codes that mean this user cannot get the message (not a follower, blocked the OA, left Zalo).</summary>
    private static readonly HashSet<int> Unreachable = [-213, -217, -230];

    private readonly SendSpacing spacing = new(options.MaxMessagesPerSecond, time);

    /// <summary>Zalo's "access token is invalid or expired".</summary>
    private const int AccessTokenExpired = -216;

    /// <summary>Sends with the current token; on -216 the token is refreshed (once across the nodes) and the send retried once.</summary>
    public async Task SendTextAsync(string userId, string text, CancellationToken ct)
    {
        var token = await tokens.AccessTokenAsync(ct);
        await spacing.WaitToSendAsync(ct);
        if (await SendOnceAsync(userId, text, token, ct) is not AccessTokenExpired) return;
        logger.LogWarning("Zalo OA access token expired (-216); refreshing and sending again");
        token = await tokens.RefreshAsync(token, ct);
        if (await SendOnceAsync(userId, text, token, ct) is AccessTokenExpired)
            throw new ZaloOaTokenException("Zalo refused the refreshed access token (-216)");
    }

    /// <summary>0 when sent, -216 when the token expired; other failures throw.</summary>
    private async Task<int> SendOnceAsync(string userId, string text, string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.ApiBaseUrl.TrimEnd('/') + "/v3.0/oa/message/cs")
        {
            Content = JsonContent.Create(new { recipient = new { user_id = userId }, message = new { text } }),
        };
        request.Headers.Add("access_token", token);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.RequestTimeout);
        using var response = await http.SendAsync(request, timeout.Token);
        JsonNode? answer = null;
        try { answer = await response.Content.ReadFromJsonAsync<JsonNode>(timeout.Token); }
        catch (JsonException) { }
        var error = answer?["error"]?.GetValueKind() == JsonValueKind.Number ? answer["error"]!.GetValue<int>() : (int?)null;
        if (response.IsSuccessStatusCode && error is 0 or AccessTokenExpired) return error.Value;
        var message = answer?["message"]?.ToString() ?? response.ReasonPhrase ?? "";
        logger.LogDebug("Zalo OA message/cs: HTTP {Status} error {Error} {Message}", (int)response.StatusCode, error, message);
        if (error is { } code && Unreachable.Contains(code)) throw new ResidentUnreachableException($"Zalo OA {code} {message}");
        throw new HttpRequestException($"Zalo OA message/cs: HTTP {(int)response.StatusCode}, error {error?.ToString() ?? "?"} {message}");
    }
}
