using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bot.Channels.ZaloBot;

/// <summary>
/// The Zalo Bot Platform API (POST {ApiBaseUrl}/bot{Token}/{method}, JSON in, {"ok", "result", "error_code",
/// "description"} out). Sends keep ZaloBot:MaxMessagesPerSecond across the process; replies are retried after a 5xx or
/// a connection that never opened, broadcast sends never (the outbox decides). Logs name the method only: the URL holds the token.
/// </summary>
public sealed class ZaloBotApi(HttpClient http, ZaloBotOptions options, TimeProvider time, ILogger<ZaloBotApi> logger)
{
    /// <summary>Zalo's limit on one text message.</summary>
    public const int MaxMessageLength = 2000;

    /// <summary>Zalo's 429 says no retry_after: every sender waits this long.</summary>
    private static readonly TimeSpan RateLimitPause = TimeSpan.FromSeconds(1);

    private readonly SendSpacing spacing = new(options.MaxMessagesPerSecond, time);

    public async Task<JsonNode?> GetMeAsync(CancellationToken ct) => await CallAsync("getMe", new { }, options.RequestTimeout, ct);

    public Task SetWebhookAsync(string url, string secretToken, CancellationToken ct) =>
        CallAsync("setWebhook", new { url, secret_token = secretToken }, options.RequestTimeout, ct);

    public Task DeleteWebhookAsync(CancellationToken ct) => CallAsync("deleteWebhook", new { }, options.RequestTimeout, ct);

    /// <summary>Long polling: the events waiting, or none when the time-out passed without any (Zalo answers 408 then).</summary>
    public async Task<IReadOnlyList<ZaloBotUpdate>> GetUpdatesAsync(int timeoutSeconds, CancellationToken ct)
    {
        JsonNode? result;
        try
        {
            result = await CallAsync("getUpdates", new { timeout = timeoutSeconds.ToString() },
                options.RequestTimeout + TimeSpan.FromSeconds(timeoutSeconds), ct);
        }
        catch (ZaloBotApiException e) when (e.ErrorCode == 408)
        {
            return [];
        }
        return result switch
        {
            JsonArray many => many.Deserialize<ZaloBotUpdate[]>(ZaloBotUpdate.Json) ?? [],
            JsonObject one => one.Deserialize<ZaloBotUpdate>(ZaloBotUpdate.Json) is { } update ? [update] : [],
            _ => [],
        };
    }

    /// <summary>A reply: paced, retried after failures that prove nothing arrived or that the server says to retry.</summary>
    public async Task SendMessageAsync(string chatId, string text, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await spacing.WaitToSendAsync(ct);
            try
            {
                await CallAsync("sendMessage", new { chat_id = chatId, text }, options.RequestTimeout, ct);
                return;
            }
            catch (ZaloBotApiException e) when (e.Retryable && attempt < options.MaxAttempts)
            {
                var delay = options.RetryBaseDelay * Math.Pow(2, attempt - 1);
                logger.LogWarning("Zalo Bot sendMessage: {ErrorCode} {Description}; retrying in {Delay} ms (attempt {Attempt} of {MaxAttempts})",
                    e.ErrorCode, e.Description, delay.TotalMilliseconds, attempt, options.MaxAttempts);
                await Task.Delay(delay, time, ct);
            }
        }
    }

    /// <summary>
    /// One broadcast message, one attempt. markSending runs once the send rate lets it go; from then on ct no longer
    /// cancels the request, since a cancelled request may still have reached Zalo.
    /// </summary>
    public async Task<bool> SendBroadcastMessageAsync(string chatId, string text, Func<Task<bool>> markSending, CancellationToken ct)
    {
        await spacing.WaitToSendAsync(ct);
        if (!await markSending()) return false;
        await CallAsync("sendMessage", new { chat_id = chatId, text }, options.RequestTimeout, CancellationToken.None);
        return true;
    }

    /// <summary>Shows "typing…" in the chat.</summary>
    public Task SendChatActionAsync(string chatId, CancellationToken ct) =>
        CallAsync("sendChatAction", new { chat_id = chatId, action = "typing" }, options.RequestTimeout, ct);

    private async Task<JsonNode?> CallAsync(string method, object body, TimeSpan timeout, CancellationToken ct)
    {
        var url = $"{options.ApiBaseUrl.TrimEnd('/')}/bot{options.Token}/{method}";
        using var timeoutCts = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeoutCts.Token);
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(url, body, linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ZaloBotApiException(method, 0, $"no answer within {timeout.TotalSeconds:0.#} s", ZaloBotFailure.Ambiguous);
        }
        catch (HttpRequestException e)
        {
            // Only a connection that never opened proves the request did not leave.
            var never = e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError;
            throw new ZaloBotApiException(method, 0, $"network error ({e.HttpRequestError})", never ? ZaloBotFailure.Retryable : ZaloBotFailure.Ambiguous);
        }
        using (response)
        {
            JsonNode? answer = null;
            try
            {
                answer = await response.Content.ReadFromJsonAsync<JsonNode>(linked.Token);
            }
            catch (Exception e) when (e is JsonException or IOException or OperationCanceledException && !ct.IsCancellationRequested) { }
            if (answer?["ok"]?.GetValueKind() == JsonValueKind.True) return answer["result"];
            // A 200 without a readable answer: the message was taken, resending would deliver it twice.
            if (response.StatusCode == HttpStatusCode.OK && answer is null) return null;
            var code = ReadCode(answer?["error_code"]) ?? (int)response.StatusCode;
            var description = answer?["description"]?.GetValueKind() == JsonValueKind.String ? answer["description"]!.GetValue<string>() : response.ReasonPhrase ?? "";
            logger.LogDebug("Zalo Bot {Method}: {ErrorCode} {Description}", method, code, description);
            if (code == 429) spacing.Pause(RateLimitPause);
            throw new ZaloBotApiException(method, code, description, code switch
            {
                429 => ZaloBotFailure.RateLimited,
                403 => ZaloBotFailure.Forbidden,
                >= 500 => ZaloBotFailure.Retryable,
                _ => ZaloBotFailure.Refused,
            });
        }
    }

    private static int? ReadCode(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Number => node.GetValue<int>(),
        JsonValueKind.String when int.TryParse(node.GetValue<string>(), out var code) => code,
        _ => null,
    };
}

public enum ZaloBotFailure { Refused, Forbidden, RateLimited, Retryable, Ambiguous }

/// <summary>A Zalo Bot API call that failed; Failure says what the caller may do about it.</summary>
public sealed class ZaloBotApiException(string method, int errorCode, string description, ZaloBotFailure failure)
    : Exception($"Zalo Bot {method}: {errorCode} {description}")
{
    public int ErrorCode => errorCode;
    public string Description => description;
    public ZaloBotFailure Failure => failure;
    public bool Retryable => failure is ZaloBotFailure.Retryable or ZaloBotFailure.RateLimited;
}
