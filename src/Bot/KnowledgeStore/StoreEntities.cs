namespace Bot.KnowledgeStore;

/// <summary>A FAQ topic (one data/faq file).</summary>
public sealed class FaqTopicRecord
{
    public required string Id { get; set; }
    public required string Title { get; set; }
    public int Position { get; set; }
}

/// <summary>
/// One FAQ entry as every node answers from it. Content and ShippedContent are <see cref="EntryContent"/> JSON;
/// the entry follows the release while Content equals ShippedContent (staff never changed it).
/// </summary>
public sealed class FaqEntryRecord
{
    public required string Id { get; set; }
    public required string Topic { get; set; }
    public required string Content { get; set; }
    /// <summary>The release's version of this entry; null for entries staff created.</summary>
    public string? ShippedContent { get; set; }
    public bool Retired { get; set; }
    /// <summary>A release changed this entry after staff had changed it: staff's version stays until they decide.</summary>
    public bool NeedsReview { get; set; }
    /// <summary>Incremented by every change: an edit based on an older version is refused, not silently overwritten.</summary>
    public int Version { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

/// <summary>One change of an entry: who, when, what it was before and after (EntryContent JSON; null = did not exist).</summary>
public sealed class FaqRevision
{
    public long Id { get; set; }
    public required string EntryId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
}

public static class FaqRevisionActions
{
    public const string Create = "create";
    public const string Edit = "edit";
    public const string Retire = "retire";
    public const string Restore = "restore";
    public const string Revert = "revert";
    public const string Import = "import";
    public const string Release = "release";
    public const string ReleaseKept = "release-kept";
}

/// <summary>A document staff uploaded; the file itself (base64) lives in the database so every node reads it.</summary>
public sealed class KnowledgeDocumentRecord
{
    public long Id { get; set; }
    public required string FileName { get; set; }
    public required string Content { get; set; }
    public long SizeBytes { get; set; }
    public required string UploadedBy { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
}

/// <summary>The single row whose counter every change of the store increments; nodes poll it to know they must rebuild.</summary>
public sealed class KnowledgeState
{
    public int Id { get; set; }
    public long Revision { get; set; }
}
