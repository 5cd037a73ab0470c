using Bot.Storage;
using Knowledge;
using Microsoft.EntityFrameworkCore;

namespace Bot.KnowledgeStore;

/// <summary>
/// Brings the shipped knowledge base (data/faq of this release) into the shared store. An entry staff never
/// changed follows the release; one they changed keeps their text and, when the release changed it too, is
/// marked for review. Entries the release dropped are retired unless staff changed them.
/// </summary>
public static class ReleaseSync
{
    public const string Actor = "bản phát hành";

    /// <summary>Returns the number of entries that changed; safe to run on several nodes at once (a conflict retries).</summary>
    public static async Task<int> ApplyAsync(IServiceScopeFactory scopes, IReadOnlyList<FaqTopic> shipped, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            var changed = await StageAsync(db, shipped, ct);
            if (!db.ChangeTracker.HasChanges()) return 0;
            try
            {
                await StoreRevision.BumpAndSaveAsync(db, ct);
                return changed;
            }
            catch (DbUpdateException) when (attempt < 5)
            {
                // Another node synced the same release at the same moment: look again at what it wrote.
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), ct);
            }
        }
    }

    private static async Task<int> StageAsync(BotDbContext db, IReadOnlyList<FaqTopic> shipped, CancellationToken ct)
    {
        var topics = await db.FaqTopics.ToDictionaryAsync(t => t.Id, ct);
        for (var i = 0; i < shipped.Count; i++)
        {
            var topic = shipped[i];
            if (!topics.TryGetValue(topic.Id, out var record))
                db.FaqTopics.Add(new FaqTopicRecord { Id = topic.Id, Title = topic.Title, Position = i });
            else if (record.Title != topic.Title || record.Position != i)
                (record.Title, record.Position) = (topic.Title, i);
        }

        var entries = await db.FaqEntries.ToDictionaryAsync(e => e.Id, ct);
        var now = DateTimeOffset.UtcNow;
        var changed = 0;
        var shippedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in shipped.SelectMany(t => t.Entries))
        {
            shippedIds.Add(entry.Id);
            var json = EntryContent.From(entry).ToJson();
            if (!entries.TryGetValue(entry.Id, out var record))
            {
                db.FaqEntries.Add(new FaqEntryRecord
                {
                    Id = entry.Id, Topic = entry.Topic, Content = json, ShippedContent = json, Version = 1, UpdatedAt = now, UpdatedBy = Actor,
                });
                Revise(db, entry.Id, FaqRevisionActions.Release, null, json, now);
                changed++;
                continue;
            }
            if (record.ShippedContent == json && record.Topic == entry.Topic) continue;
            changed++;
            var staffChanged = record.Content != record.ShippedContent;
            record.Version++;
            if (staffChanged)
            {
                Revise(db, entry.Id, FaqRevisionActions.ReleaseKept, record.Content, json, now);
                record.NeedsReview = record.Content != json;
            }
            else
            {
                Revise(db, entry.Id, FaqRevisionActions.Release, record.Content, json, now);
                (record.Content, record.Topic, record.UpdatedAt, record.UpdatedBy) = (json, entry.Topic, now, Actor);
            }
            record.ShippedContent = json;
        }

        foreach (var record in entries.Values.Where(r => r.ShippedContent is not null && !shippedIds.Contains(r.Id)))
        {
            changed++;
            record.Version++;
            if (record.Content == record.ShippedContent && !record.Retired)
            {
                record.Retired = true;
                Revise(db, record.Id, FaqRevisionActions.Release, record.Content, record.Content, now);
            }
            else record.NeedsReview = !record.Retired;
            // No longer in the release: from now on it is the commune's own entry.
            record.ShippedContent = null;
        }
        return changed;
    }

    private static void Revise(BotDbContext db, string id, string action, string? before, string? after, DateTimeOffset at) =>
        db.FaqRevisions.Add(new FaqRevision { EntryId = id, At = at, Actor = Actor, Action = action, Before = before, After = after });
}
