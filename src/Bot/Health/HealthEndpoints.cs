using Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Health;

public static class HealthEndpoints
{
    public static void MapHealth(this IEndpointRouteBuilder app) =>
        app.MapGet("/healthz", async (BotDbContext db, CancellationToken ct) =>
        {
            var database = await CanReachAsync(db, ct);
            var body = new { status = database ? "ok" : "unhealthy", database = database ? "ok" : "unreachable" };
            return Results.Json(body, statusCode: database ? 200 : 503);
        }).WithTags("health").AllowAnonymous();

    private static async Task<bool> CanReachAsync(BotDbContext db, CancellationToken ct)
    {
        try { return await db.Database.CanConnectAsync(ct); }
        catch (Exception) { return false; }
    }
}
