using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Conversation;

namespace Bot.Channels.ZaloOa;

/// <summary>
/// The OA API v3 messages (POST {ApiBaseUrl}/v3.0/oa/message/cs or …/promotion, access_token header): replies, staff
/// replies and broadcasts. Zalo answers HTTP 200 with {"error": 0, …} on success and a negative error code otherwise.
/// Every call is paced by ZaloOa:MaxMessagesPerSecond; on -216 the token is refreshed (once across the nodes) and the
/// call made once more.
/// </summary>
public sealed class ZaloOaApi(HttpClient http, ZaloOaTokens tokens, ZaloOaOptions options, TimeProvider time, ILogger<ZaloOaApi> logger)
{
    /// <summary>Zalo's limit on one OA text message.</summary>
    public const int MaxMessageLength = 2000;

    public const string ConsultationPath = "/v3.0/oa/message/cs";
    public const string PromotionPath = "/v3.0/oa/message/promotion";

    /// <summary>Zalo's "access token is invalid or expired".</summary>
    private const int AccessTokenExpired = -216;

    private readonly SendSpacing spacing = new(options.MaxMessagesPerSecond, time);

    /// <summary>A reply or staff reply as a consultation message; a resident Zalo says cannot get it throws <see cref="ResidentUnreachableException"/>.</summary>
    public async Task SendConsultationAsync(string userId, JsonObject message, CancellationToken ct)
    {
        try
        {
            await CallAsync(ConsultationPath, userId, message, ct);
        }
        catch (ZaloOaApiException e) when (e.Failure is ZaloOaFailure.Unreachable or ZaloOaFailure.OutsideWindow)
        {
            throw new ResidentUnreachableException(e.Message);
        }
    }

    /// <summary>
    /// One broadcast message, one attempt (the outbox decides about retries): once it has started, ct no longer cancels
    /// the request, since a cancelled request may still have reached Zalo. Failures throw <see cref="ZaloOaApiException"/>.
    /// </summary>
    public async Task SendBroadcastAsync(string path, string userId, JsonObject message, CancellationToken ct)
    {
        await spacing.WaitToSendAsync(ct);
        await CallAsync(path, userId, message, CancellationToken.None, paced: true);
    }

    private async Task CallAsync(string path, string userId, JsonObject message, CancellationToken ct, bool paced = false)
    {
        var token = await tokens.AccessTokenAsync(ct);
        if (!paced) await spacing.WaitToSendAsync(ct);
        if (await PostOnceAsync(path, userId, message, token, ct) is not AccessTokenExpired) return;
        logger.LogWarning("Zalo OA access token expired (-216); refreshing and sending again");
        token = await tokens.RefreshAsync(token, ct);
        if (await PostOnceAsync(path, userId, message, token, ct) is AccessTokenExpired)
            throw new ZaloOaTokenException("Zalo refused the refreshed access token (-216)");
    }

    /// <summary>0 when sent, -216 when the token expired; other failures throw <see cref="ZaloOaApiException"/>.</summary>
    private async Task<int> PostOnceAsync(string path, string userId, JsonObject message, string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.ApiBaseUrl.TrimEnd('/') + path)
        {
            Content = JsonContent.Create(new JsonObject { ["recipient"] = new JsonObject { ["user_id"] = userId }, ["message"] = message.DeepClone() }),
        };
        request.Headers.Add("access_token", token);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ZaloOaApiException(path, null, $"no answer within {options.RequestTimeout.TotalSeconds:0.#} s", ZaloOaFailure.Ambiguous);
        }
        catch (HttpRequestException e)
        {
            // Only a connection that never opened proves the request did not leave.
            var never = e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError;
            throw new ZaloOaApiException(path, null, $"network error ({e.HttpRequestError})", never ? ZaloOaFailure.Retryable : ZaloOaFailure.Ambiguous);
        }
        using (response)
        {
            JsonNode? answer = null;
            try { answer = await response.Content.ReadFromJsonAsync<JsonNode>(timeout.Token); }
            catch (Exception e) when (e is JsonException or IOException or OperationCanceledException && !ct.IsCancellationRequested) { }
            var error = answer?["error"]?.GetValueKind() == JsonValueKind.Number ? answer["error"]!.GetValue<int>() : (int?)null;
            if (response.IsSuccessStatusCode && error is 0 or AccessTokenExpired) return error.Value;
            var text = answer?["message"]?.ToString() ?? response.ReasonPhrase ?? "";
            logger.LogDebug("Zalo OA {Path}: HTTP {Status} error {Error} {Message}", path, (int)response.StatusCode, error, text);
            throw new ZaloOaApiException(path, error, $"HTTP {(int)response.StatusCode} {text}", error switch
            {
                null when response.StatusCode == HttpStatusCode.OK => ZaloOaFailure.Ambiguous, // taken, unreadable answer
                null when (int)response.StatusCode >= 500 => ZaloOaFailure.Retryable,
                -213 or -217 => ZaloOaFailure.Unreachable, // not a follower, or blocked the OA
                -230 => ZaloOaFailure.OutsideWindow, // no interaction with the OA lately
                -211 => ZaloOaFailure.QuotaExhausted, // the OA's quota for this kind of message is spent
                -218 => ZaloOaFailure.RecipientQuota, // this user has received as many as Zalo allows
                _ => ZaloOaFailure.Refused,
            });
        }
    }
}

public enum ZaloOaFailure { Refused, Unreachable, OutsideWindow, QuotaExhausted, RecipientQuota, Retryable, Ambiguous }

/// <summary>An OA API call that failed; Failure says what the caller may do about it.</summary>
public sealed class ZaloOaApiException(string path, int? errorCode, string description, ZaloOaFailure failure)
    : Exception($"Zalo OA {path}: error {errorCode?.ToString() ?? "?"} {description}")
{
    public int? ErrorCode => errorCode;
    public ZaloOaFailure Failure => failure;
    public string Short => $"{errorCode?.ToString() ?? "?"} {description}";
}
