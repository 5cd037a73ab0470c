using System.Security.Claims;
using System.Security.Cryptography;
using Bot.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;

namespace Bot.Admin;

/// <summary>
/// Staff sessions kept in the database: the cookie carries only the session id, and each request checks that the
/// session is neither revoked (logout, account disabled, password changed) nor past its absolute end.
/// </summary>
public static class StaffSessions
{
    public const string SessionClaim = "sid";

    public static async Task<string> StartAsync(BotDbContext db, StaffAccount account, TimeSpan lifetime, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var session = new StaffSession
        {
            Id = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)), StaffAccountId = account.Id,
            CreatedAt = now, ExpiresAt = now + lifetime,
        };
        db.StaffSessions.Add(session);
        await db.SaveChangesAsync(ct);
        return session.Id;
    }

    public static Task<int> RevokeAsync(BotDbContext db, string sessionId) =>
        db.StaffSessions.Where(s => s.Id == sessionId && s.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, DateTimeOffset.UtcNow));

    /// <summary>Ends every session of one account: it was disabled or its password changed.</summary>
    public static Task<int> RevokeAllAsync(BotDbContext db, long accountId) =>
        db.StaffSessions.Where(s => s.StaffAccountId == accountId && s.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, DateTimeOffset.UtcNow));

    /// <summary>The cookie handler's per-request check.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var sessionId = context.Principal?.FindFirstValue(SessionClaim);
        var db = context.HttpContext.RequestServices.GetRequiredService<BotDbContext>();
        var now = DateTimeOffset.UtcNow;
        var live = sessionId is not null && await db.StaffSessions
            .Where(s => s.Id == sessionId && s.RevokedAt == null && s.ExpiresAt > now)
            .Join(db.StaffAccounts.Where(a => !a.Disabled), s => s.StaffAccountId, a => a.Id, (s, a) => s.Id)
            .AnyAsync(context.HttpContext.RequestAborted);
        if (live) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
