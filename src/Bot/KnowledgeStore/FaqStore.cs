using Bot.Conversation;
using Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.KnowledgeStore;

/// <summary>Why a change of the store was refused, in words staff read.</summary>
public sealed record StoreRefusal(int Status, string Message);

/// <summary>
/// Changes FAQ entries in the shared store: each change writes a revision (who, when, before, after) and moves the
/// store's revision counter in the same transaction, then this node rebuilds at once; the others within a second.
/// </summary>
public sealed class FaqStore(BotDbContext db, KnowledgeProvider knowledge)
{
    public static readonly StoreRefusal NotFound = new(404, "Không có câu hỏi này.");
    public static readonly StoreRefusal Stale = new(409,
        "Câu hỏi này vừa được người khác sửa. Nội dung bạn gõ vẫn còn; tải lại câu hỏi để xem bản mới rồi sửa tiếp.");

    public async Task<StoreRefusal?> CreateAsync(string actor, string id, string topic, EntryContent content, string action, CancellationToken ct)
    {
        if (await db.FaqEntries.AnyAsync(e => e.Id == id, ct))
            return new StoreRefusal(409, $"Mã \"{id}\" đã được dùng cho một câu hỏi khác.");
        if (!await db.FaqTopics.AnyAsync(t => t.Id == topic, ct))
            return new StoreRefusal(400, $"Không có chủ đề \"{topic}\".");
        var json = content.ToJson();
        db.FaqEntries.Add(new FaqEntryRecord
        {
            Id = id, Topic = topic, Content = json, Version = 1, UpdatedAt = DateTimeOffset.UtcNow, UpdatedBy = actor,
        });
        Revise(id, actor, action, null, json);
        return await CommitAsync(ct);
    }

    public async Task<StoreRefusal?> UpdateAsync(string actor, string id, string? topic, EntryContent content, int version, string action, CancellationToken ct)
    {
        var entry = await db.FaqEntries.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (entry is null) return NotFound;
        if (entry.Version != version) return Stale;
        if (topic is not null && topic != entry.Topic)
        {
            if (!await db.FaqTopics.AnyAsync(t => t.Id == topic, ct)) return new StoreRefusal(400, $"Không có chủ đề \"{topic}\".");
            entry.Topic = topic;
        }
        SetContent(entry, actor, action, content.ToJson());
        return await CommitAsync(ct);
    }

    public async Task<StoreRefusal?> SetRetiredAsync(string actor, string id, bool retired, CancellationToken ct)
    {
        var entry = await db.FaqEntries.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (entry is null) return NotFound;
        if (entry.Retired == retired) return null;
        entry.Retired = retired;
        Touch(entry, actor);
        Revise(id, actor, retired ? FaqRevisionActions.Retire : FaqRevisionActions.Restore, entry.Content, entry.Content);
        return await CommitAsync(ct);
    }

    /// <summary>Undoes one revision: the entry gets back what it held before it (an entry that did not exist is retired).</summary>
    public async Task<StoreRefusal?> RevertAsync(string actor, string id, long revisionId, CancellationToken ct)
    {
        var entry = await db.FaqEntries.FirstOrDefaultAsync(e => e.Id == id, ct);
        var revision = await db.FaqRevisions.FirstOrDefaultAsync(r => r.Id == revisionId && r.EntryId == id, ct);
        if (entry is null || revision is null) return new StoreRefusal(404, "Không có thay đổi này.");
        if (revision.Action is FaqRevisionActions.Retire or FaqRevisionActions.Restore)
            return await SetRetiredAsync(actor, id, revision.Action == FaqRevisionActions.Restore, ct);
        if (revision.Before is null)
            return await SetRetiredAsync(actor, id, true, ct);
        SetContent(entry, actor, FaqRevisionActions.Revert, revision.Before);
        return await CommitAsync(ct);
    }

    /// <summary>Staff decide on an entry the release changed after they had: take the release's text, or keep theirs.</summary>
    public async Task<StoreRefusal?> ResolveReviewAsync(string actor, string id, bool takeRelease, CancellationToken ct)
    {
        var entry = await db.FaqEntries.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (entry is null) return NotFound;
        if (takeRelease && entry.ShippedContent is not null)
            SetContent(entry, actor, FaqRevisionActions.Release, entry.ShippedContent);
        entry.NeedsReview = false;
        Touch(entry, actor);
        return await CommitAsync(ct);
    }

    private void SetContent(FaqEntryRecord entry, string actor, string action, string json)
    {
        if (entry.Content == json) return;
        Revise(entry.Id, actor, action, entry.Content, json);
        entry.Content = json;
        if (json == entry.ShippedContent) entry.NeedsReview = false;
        Touch(entry, actor);
    }

    private static void Touch(FaqEntryRecord entry, string actor)
    {
        entry.Version++;
        entry.UpdatedAt = DateTimeOffset.UtcNow;
        entry.UpdatedBy = actor;
    }

    private void Revise(string id, string actor, string action, string? before, string? after) =>
        db.FaqRevisions.Add(new FaqRevision { EntryId = id, At = DateTimeOffset.UtcNow, Actor = actor, Action = action, Before = before, After = after });

    private async Task<StoreRefusal?> CommitAsync(CancellationToken ct)
    {
        if (!db.ChangeTracker.HasChanges()) return null;
        try
        {
            await StoreRevision.BumpAndSaveAsync(db, ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return Stale;
        }
        if (!batching) await knowledge.RefreshAsync(ct);
        return null;
    }

    private bool batching;

    /// <summary>Runs many changes (an import) and rebuilds this node's base once at the end instead of after each.</summary>
    public async Task<T> InBatchAsync<T>(Func<Task<T>> changes, CancellationToken ct)
    {
        batching = true;
        try { return await changes(); }
        finally
        {
            batching = false;
            await knowledge.RefreshAsync(ct);
        }
    }
}

/// <summary>The store's revision counter: every change moves it, in the transaction of the change.</summary>
public static class StoreRevision
{
    /// <summary>
    /// Saves the pending changes together with the counter's increment. The counter is a concurrency token: two
    /// nodes changing the store at once cannot both move it to the same value (the second one's save fails), so
    /// a node that saw a value has seen every change up to it.
    /// </summary>
    public static async Task BumpAndSaveAsync(BotDbContext db, CancellationToken ct)
    {
        var state = await db.KnowledgeStates.SingleAsync(s => s.Id == 1, ct);
        state.Revision++;
        await db.SaveChangesAsync(ct);
    }

    public static Task<long> ReadAsync(BotDbContext db, CancellationToken ct) =>
        db.KnowledgeStates.AsNoTracking().Where(s => s.Id == 1).Select(s => s.Revision).SingleAsync(ct);
}
