using Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Conversation;

/// <summary>Finds or registers the resident behind a channel user; safe when two nodes see the same user at once.</summary>
public sealed class Residents(BotDbContext db)
{
    // Runs for every message: compiled once instead of looked up in EF's query cache each time.
    private static readonly Func<BotDbContext, string, string, CancellationToken, Task<Resident?>> Find =
        EF.CompileAsyncQuery((BotDbContext db, string channel, string user, CancellationToken ct) =>
            db.Residents.FirstOrDefault(r => r.Channel == channel && r.PlatformUserId == user));

    public async Task<Resident> GetOrCreateAsync(string channel, string platformUserId, string chatId, string? displayName, CancellationToken ct = default)
    {
        var now = DateTimeOffset.UtcNow;
        var resident = await Find(db, channel, platformUserId, ct);
        if (resident is not null)
        {
            // LastSeenAt to the minute is enough; not writing on every message keeps the database free for answers.
            if (now - resident.LastSeenAt > TimeSpan.FromMinutes(1)) resident.LastSeenAt = now;
            resident.ChatId = chatId;
            if (!string.IsNullOrWhiteSpace(displayName)) resident.DisplayName = displayName;
            if (db.ChangeTracker.HasChanges()) await db.SaveChangesAsync(ct);
            return resident;
        }
        resident = new Resident
        {
            Channel = channel, PlatformUserId = platformUserId, ChatId = chatId, DisplayName = displayName,
            CreatedAt = now, LastSeenAt = now,
        };
        db.Residents.Add(resident);
        try
        {
            await db.SaveChangesAsync(ct);
            return resident;
        }
        catch (DbUpdateException)
        {
            // Another request registered the same user first.
            db.Entry(resident).State = EntityState.Detached;
            return (await Find(db, channel, platformUserId, ct))!;
        }
    }
}
