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
    /// <summary>A refresh token with less left than this is renewed by a refresh (<see cref="RenewIfExpiringAsync"/>).</summary>
    private static readonly TimeSpan RenewAhead = TimeSpan.FromDays(30);
    /// <summary>Less left than this, though renewals are tried daily: staff must look (health, log).</summary>
    public static readonly TimeSpan WarnAhead = TimeSpan.FromDays(14);

    /// <summary>
    /// The row as last read, reused for a few seconds: every send needs the token, and a token another node replaced
    /// meanwhile only costs a -216 answered by <see cref="RefreshAsync"/>, which always reads the database.
    /// </summary>
    private volatile CachedRow? cached;
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private sealed record CachedRow(ZaloOaToken Row, DateTimeOffset ReadAt);

    /// <summary>The access token to send with; refreshed first when it expires within the hour.</summary>
    public async Task<string> AccessTokenAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var row = cached is { } c && now - c.ReadAt < CacheFor ? c.Row : await ReadAsync(ct);
        return row.AccessExpiresAt - now < RefreshAhead ? await RefreshAsync(row.AccessToken, ct) : row.AccessToken;
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
                    refresh_expires_at = {writes.Timestamp(now + RefreshLife)}, refreshing_until = NULL, updated_at = {writes.Timestamp(now)},
                    refresh_failed_at = NULL, refresh_error = NULL
                WHERE id = {RowId}
                """);
            cached = null;
            logger.LogInformation("Zalo OA access token refreshed; valid until {ExpiresAt:O}", now + life);
            return access;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Kept for staff: /healthz and the channel status show it until a refresh succeeds.
            var error = e.Message.Length > 500 ? e.Message[..500] : e.Message;
            await writes.ExecuteAsync($"""
                UPDATE zalo_oa_tokens SET refreshing_until = NULL, refresh_failed_at = {writes.Timestamp(time.GetUtcNow())}, refresh_error = {error}
                WHERE id = {RowId}
                """);
            logger.LogError("Zalo OA token refresh failed, residents on the OA get no replies until it succeeds: {Error}", e.Message);
            throw e as ZaloOaTokenException ?? new ZaloOaTokenException(e.Message);
        }
    }

    /// <summary>
    /// A refresh token near its end is spent on a refresh, which brings a new one: an OA that sent nothing for weeks
    /// keeps its tokens. Returns whether it renewed.
    /// </summary>
    public async Task<bool> RenewIfExpiringAsync(CancellationToken ct)
    {
        if (await CurrentAsync(ct) is not { } row || row.RefreshExpiresAt - time.GetUtcNow() > RenewAhead) return false;
        await RefreshAsync(row.AccessToken, ct);
        return true;
    }

    /// <summary>What staff need to know of the token pair (none before the first send seeds it).</summary>
    public async Task<ZaloOaTokenStatus> StatusAsync(CancellationToken ct)
    {
        if (await CurrentAsync(ct) is not { } row) return new ZaloOaTokenStatus(ZaloOaTokenStatus.NotSeeded, null, null, null, null);
        var left = row.RefreshExpiresAt - time.GetUtcNow();
        var status = row.RefreshFailedAt is not null ? ZaloOaTokenStatus.RefreshFailed
            : left <= TimeSpan.Zero ? ZaloOaTokenStatus.RefreshTokenExpired
            : left < WarnAhead ? ZaloOaTokenStatus.RefreshTokenExpiring
            : ZaloOaTokenStatus.Ok;
        return new ZaloOaTokenStatus(status, row.AccessExpiresAt, row.RefreshExpiresAt, row.RefreshFailedAt, row.RefreshError);
    }

    private async Task<ZaloOaToken?> CurrentAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BotDbContext>().ZaloOaTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == RowId, ct);
    }

    private async Task<ZaloOaToken> ReadAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        if (await db.ZaloOaTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == RowId, ct) is { } row) return Remember(row);
        var now = time.GetUtcNow();
        await writes.ExecuteAsync($"""
            INSERT INTO zalo_oa_tokens (id, access_token, refresh_token, access_expires_at, refresh_expires_at, updated_at)
            VALUES ({RowId}, {options.AccessToken}, {options.RefreshToken}, {writes.Timestamp(now + SeededAccessLife)},
                {writes.Timestamp(now + RefreshLife)}, {writes.Timestamp(now)})
            ON CONFLICT (id) DO NOTHING
            """);
        return Remember(await db.ZaloOaTokens.AsNoTracking().FirstAsync(t => t.Id == RowId, ct));
    }

    private ZaloOaToken Remember(ZaloOaToken row)
    {
        cached = new CachedRow(row, time.GetUtcNow());
        return row;
    }
}

public sealed class ZaloOaTokenException(string message) : Exception($"Zalo OA token: {message}");

/// <summary>The token pair as staff see it in /healthz and the channel status.</summary>
public sealed record ZaloOaTokenStatus(string Status, DateTimeOffset? AccessExpiresAt, DateTimeOffset? RefreshExpiresAt, DateTimeOffset? RefreshFailedAt,
    string? RefreshError)
{
    public const string Ok = "ok";
    public const string NotSeeded = "not-seeded";
    public const string RefreshFailed = "refresh-failed";
    public const string RefreshTokenExpiring = "refresh-token-expiring";
    public const string RefreshTokenExpired = "refresh-token-expired";

    public bool NeedsStaff => Status is RefreshFailed or RefreshTokenExpiring or RefreshTokenExpired;
}
