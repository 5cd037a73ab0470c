using System.Security.Claims;
using Bot.Privacy;
using Bot.Storage;

namespace Bot.Admin;

/// <summary>Appends who did what in the admin. Details are masked: they may quote residents.</summary>
public sealed class AuditLog(BotDbContext db)
{
    public async Task RecordAsync(ClaimsPrincipal? actor, string action, string? target = null, string? detail = null, CancellationToken ct = default) =>
        await RecordAsync(actor?.Identity?.Name ?? "anonymous", action, target, detail, ct);

    public async Task RecordAsync(string actor, string action, string? target = null, string? detail = null, CancellationToken ct = default)
    {
        db.AuditEntries.Add(new AuditEntry
        {
            At = DateTimeOffset.UtcNow,
            Actor = actor,
            Action = action,
            Target = target,
            Detail = detail is null ? null : PersonalDataMasker.Mask(detail),
        });
        await db.SaveChangesAsync(ct);
    }
}
