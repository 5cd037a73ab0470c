using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Channels.ZaloOa;

/// <summary>
/// The OA token pair in the database. Seeded from ZaloOa:AccessToken and ZaloOa:RefreshToken once, then refreshed
/// (POST {OAuthBaseUrl}/v4/oa/access_token, secret_key header, grant_type=refresh_token) ahead of expiry or when Zalo
/// says the access token expired. The refresh token is single-use: a node spends it only while it holds the row's
/// lease (a compare-and-set on the stale access token), and the new pair is stored before it is used; the other nodes
/// wait for the new pair.
/// </summary>
public sealed class ZaloOaTokens(IServiceScopeFactory scopes, GroupCommit writes, HttpClient http, ZaloOaOptions options, TimeProvider time,
    ILogger<ZaloOaTokens> logger)
{
    private const long RowId = 1;
    private static readonly TimeSpan RefreshAhead = TimeSpan.FromHours(1);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SeededAccessLife = TimeSpan.FromHours(25);
    private static readonly TimeSpan RefreshLife = TimeSpan.FromDays(90);

    /// <summary>The access token to send with; refreshed first when it expires within the hour.</summary>
    public async Task<string> AccessTokenAsync(CancellationToken ct)
    {
        var row = await ReadAsync(ct);
        return row.AccessExpiresAt - time.GetUtcNow() < RefreshAhead ? await RefreshAsync(row.AccessToken, ct) : row.AccessToken;
    }

    /// <summary>A token newer than stale: refreshed by this node when it wins the lease, else the one another node stored.</summary>
    public async Task<string> RefreshAsync(string stale, CancellationToken ct)
    {
        var giveUpAt = time.GetUtcNow() + Lease + options.RequestTimeout;
        while (true)
        {
            var row = await ReadAsync(ct);
            if (row.AccessToken != stale) return row.AccessToken;
            var now = time.GetUtcNow();
            var taken = await writes.ExecuteAsync($"""
                UPDATE zalo_oa_tokens SET refreshing_until = {writes.Timestamp(now + Lease)}
                WHERE id = {RowId} AND access_token = {stale} AND (refreshing_until IS NULL OR refreshing_until < {writes.Timestamp(now)})
                """);
            if (taken == 1) return await RefreshHeldAsync(row, ct);
            if (now > giveUpAt) throw new ZaloOaTokenException("another node's token refresh did not finish");
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, ct);
        }
    }

    private async Task<string> RefreshHeldAsync(ZaloOaToken row, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, options.OAuthBaseUrl.TrimEnd('/') + "/v4/oa/access_token")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["refresh_token"] = row.RefreshToken, ["app_id"] = options.AppId, ["grant_type"] = "refresh_token",
                }),
            };
            request.Headers.Add("secret_key", options.AppSecret);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.RequestTimeout);
            using var response = await http.SendAsync(request, timeout.Token);
            var answer = await response.Content.ReadFromJsonAsync<JsonNode>(timeout.Token);
            if (answer?["access_token"]?.ToString() is not { Length: > 0 } access || answer["refresh_token"]?.ToString() is not { Length: > 0 } refresh)
                throw new ZaloOaTokenException($"refresh refused: HTTP {(int)response.StatusCode} {answer?["error"]} {answer?["error_description"] ?? answer?["message"]}");
            var now = time.GetUtcNow();
            var life = long.TryParse(answer["expires_in"]?.ToString(), out var seconds) ? TimeSpan.FromSeconds(seconds) : SeededAccessLife;
            // Stored before it is used: a crash now leaves the new pair, never a spent refresh token, in the database.
            await writes.ExecuteAsync($"""
                UPDATE zalo_oa_tokens SET access_token = {access}, refresh_token = {refresh}, access_expires_at = {writes.Timestamp(now + life)},
                    refresh_expires_at = {writes.Timestamp(now + RefreshLife)}, refreshing_until = NULL, updated_at = {writes.Timestamp(now)}
                WHERE id = {RowId}
                """);
            logger.LogInformation("Zalo OA access token refreshed; valid until {ExpiresAt:O}", now + life);
            return access;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await writes.ExecuteAsync($"UPDATE zalo_oa_tokens SET refreshing_until = NULL WHERE id = {RowId}");
            logger.LogError("Zalo OA token refresh failed, residents on the OA get no replies until it succeeds: {Error}", e.Message);
            throw e as ZaloOaTokenException ?? new ZaloOaTokenException(e.Message);
        }
    }

    private async Task<ZaloOaToken> ReadAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        if (await db.ZaloOaTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == RowId, ct) is { } row) return row;
        var now = time.GetUtcNow();
        await writes.ExecuteAsync($"""
            INSERT INTO zalo_oa_tokens (id, access_token, refresh_token, access_expires_at, refresh_expires_at, updated_at)
            VALUES ({RowId}, {options.AccessToken}, {options.RefreshToken}, {writes.Timestamp(now + SeededAccessLife)},
                {writes.Timestamp(now + RefreshLife)}, {writes.Timestamp(now)})
            ON CONFLICT (id) DO NOTHING
            """);
        return await db.ZaloOaTokens.AsNoTracking().FirstAsync(t => t.Id == RowId, ct);
    }
}

public sealed class ZaloOaTokenException(string message) : Exception($"Zalo OA token: {message}");
