namespace Bot.Channels.ZaloOa;

/// <summary>
/// Every hour: renews a refresh token near its end and warns in the log when the token pair needs staff (a refresh
/// failed, the refresh token is about to expire), before residents meet an OA that cannot answer.
/// </summary>
public sealed class ZaloOaTokenWatch(ZaloOaTokens tokens, TimeProvider time, ILogger<ZaloOaTokenWatch> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await tokens.RenewIfExpiringAsync(stoppingToken)) logger.LogInformation("Zalo OA refresh token renewed ahead of its expiry");
            }
            catch (ZaloOaTokenException) { } // logged by the refresh, kept in the table: reported below
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Zalo OA token check failed: {Error}", e.Message);
            }
            try
            {
                if (await tokens.StatusAsync(stoppingToken) is { NeedsStaff: true } status)
                    logger.LogWarning("Zalo OA token needs staff: {Status} (refresh token valid until {RefreshExpiresAt:O}; last failure {RefreshFailedAt:O}: {RefreshError}). " +
                        "See README, Zalo Official Account, to get a new token pair.", status.Status, status.RefreshExpiresAt, status.RefreshFailedAt, status.RefreshError);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Zalo OA token check failed: {Error}", e.Message);
            }
            await Task.Delay(Interval, time, stoppingToken).ContinueWith(_ => { });
        }
    }
}
