using Bot.Privacy;
using Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Conversation;

/// <summary>Finds or registers the resident behind a channel user; safe when two nodes see the same user at once.</summary>
public sealed class Residents(BotDbContext db, DatabaseOptions database, GroupCommit writes)
{
    // Every message looks its resident up: a compiled query skips EF's per-call expression-tree hashing. On SQLite it
    // is synchronous: Microsoft.Data.Sqlite runs its async methods synchronously anyway (SQLite has no async I/O), and
    // EF's async enumerator around them cost more than the lookup itself.
    private static readonly Func<BotDbContext, string, string, Resident?> FindOnSqlite =
        EF.CompileQuery((BotDbContext db, string channel, string platformUserId) =>
            db.Residents.FirstOrDefault(r => r.Channel == channel && r.PlatformUserId == platformUserId));
    private static readonly Func<BotDbContext, string, string, CancellationToken, Task<Resident?>> FindOnPostgres =
        EF.CompileAsyncQuery((BotDbContext db, string channel, string platformUserId, CancellationToken ct) =>
            db.Residents.FirstOrDefault(r => r.Channel == channel && r.PlatformUserId == platformUserId));

    /// <summary>The display name is stored masked: some residents put their phone number in it.</summary>
    public async Task<Resident> GetOrCreateAsync(string channel, string platformUserId, string chatId, string? displayName, CancellationToken ct = default)
    {
        displayName = string.IsNullOrWhiteSpace(displayName) ? null : PersonalDataMasker.Mask(displayName);
        var now = DateTimeOffset.UtcNow;
        var resident = await FindAsync(channel, platformUserId, ct);
        if (resident is not null)
        {
            // LastSeenAt to the minute is enough; not writing on every message keeps the database free for answers.
            if (now - resident.LastSeenAt > TimeSpan.FromMinutes(1)) resident.LastSeenAt = now;
            resident.ChatId = chatId;
            if (displayName is not null) resident.DisplayName = displayName;
            if (db.ChangeTracker.HasChanges()) await db.SaveChangesAsync(ct);
            return resident;
        }
        // A first message registers the resident in the shared write batch; when two nodes race, the unique index keeps one row.
        var at = writes.Timestamp(now);
        await writes.ExecuteAsync($"""
            INSERT INTO residents (channel, platform_user_id, chat_id, display_name, created_at, last_seen_at)
            VALUES ({channel}, {platformUserId}, {chatId}, {displayName}, {at}, {at})
            ON CONFLICT (channel, platform_user_id) DO NOTHING
            """);
        return await FindAsync(channel, platformUserId, ct)
               ?? throw new InvalidOperationException($"resident {channel}:{platformUserId} was not stored");
    }

    private Task<Resident?> FindAsync(string channel, string platformUserId, CancellationToken ct) =>
        database.Provider == DatabaseProvider.Sqlite
            ? Task.FromResult(FindOnSqlite(db, channel, platformUserId))
            : FindOnPostgres(db, channel, platformUserId, ct);
}
