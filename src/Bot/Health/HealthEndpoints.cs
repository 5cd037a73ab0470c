using Bot.Channels.ZaloOa;
using Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Health;

/// <summary>
/// GET /healthz: 503 when the database cannot be reached (the node cannot serve); 200 otherwise, with "degraded" when
/// the Zalo OA token pair needs staff (a refresh failed, the refresh token is about to expire): the node still serves
/// every other channel, so a load balancer must not take it out, but staff see the trouble before residents do.
/// </summary>
public static class HealthEndpoints
{
    public static void MapHealth(this IEndpointRouteBuilder app) => app.MapGet("/healthz", GetHealthAsync).WithTags("health").AllowAnonymous();

    private static async Task<IResult> GetHealthAsync(BotDbContext db, IServiceProvider services, CancellationToken ct)
    {
        var database = await CanReachAsync(db, ct);
        var zaloOa = database && services.GetService<ZaloOaTokens>() is { } tokens ? await tokens.StatusAsync(ct) : null;
        var status = !database ? "unhealthy" : zaloOa is { NeedsStaff: true } ? "degraded" : "ok";
        var body = new
        {
            status,
            database = database ? "ok" : "unreachable",
            zaloOa = zaloOa is null ? null : new
            {
                token = zaloOa.Status, zaloOa.RefreshExpiresAt, zaloOa.RefreshFailedAt, zaloOa.RefreshError,
            },
        };
        return Results.Json(body, statusCode: database ? 200 : 503);
    }

    private static async Task<bool> CanReachAsync(BotDbContext db, CancellationToken ct)
    {
        try { return await db.Database.CanConnectAsync(ct); }
        catch (Exception) { return false; }
    }
}
