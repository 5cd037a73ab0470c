namespace Bot.Storage;

/// <summary>A resident as seen on one channel. Consent to broadcasts is explicit and timestamped.</summary>
public sealed class Resident
{
    public long Id { get; set; }
    public required string Channel { get; set; }
    public required string PlatformUserId { get; set; }
    /// <summary>Where replies go (Telegram chat id, Zalo user id); equals PlatformUserId for private chats.</summary>
    public required string ChatId { get; set; }
    public string? DisplayName { get; set; }
    public bool Subscribed { get; set; }
    public DateTimeOffset? ConsentAt { get; set; }
    /// <summary>Comma-separated topic ids; empty means every topic.</summary>
    public string Topics { get; set; } = "";
    public bool Blocked { get; set; }
    public DateTimeOffset? BlockedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    /// <summary>
    /// On channels without buttons (Zalo Bot): the button data of the numbered choices last offered, one per line,
    /// so that a bare number answers them on any node and after a restart.
    /// </summary>
    public string? OfferedChoices { get; set; }
    /// <summary>When the resident last wrote (Zalo OA: the event's time); the OA's free consultation window runs from it.</summary>
    public DateTimeOffset? LastInboundAt { get; set; }
    /// <summary>Consultation messages the OA sent this resident since <see cref="LastInboundAt"/> (Zalo caps them per window).</summary>
    public int WindowMessages { get; set; }
}

/// <summary>An incoming platform update, stored before it is acknowledged; (Channel, UpdateId) is unique.</summary>
public sealed class InboundUpdate
{
    public long Id { get; set; }
    public required string Channel { get; set; }
    public required string UpdateId { get; set; }
    public required string Payload { get; set; }
    public string Status { get; set; } = InboundUpdateStatus.Pending;
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    /// <summary>When a node started processing it; a stale claim means that node died and another takes over.</summary>
    public DateTimeOffset? ClaimedAt { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
}

public static class InboundUpdateStatus
{
    public const string Pending = "pending";
    public const string Processing = "processing";
    public const string Done = "done";
    public const string Failed = "failed";
}

/// <summary>One question and what the bot did with it. Question text is stored masked.</summary>
public sealed class ConversationTurn
{
    public long Id { get; set; }
    public long? ResidentId { get; set; }
    public required string Channel { get; set; }
    public required string Question { get; set; }
    public string? FaqId { get; set; }
    public string? Citation { get; set; }
    public double Score { get; set; }
    public bool Answered { get; set; }
    public bool HandedOver { get; set; }
    /// <summary>+1 helpful, -1 not helpful, null no feedback.</summary>
    public int? Feedback { get; set; }
    public DateTimeOffset? FeedbackAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A question the bot could not answer, waiting for a staff reply.</summary>
public sealed class Handover
{
    public long Id { get; set; }
    public long? TurnId { get; set; }
    public long? ResidentId { get; set; }
    public required string Channel { get; set; }
    public required string Question { get; set; }
    public string Status { get; set; } = HandoverStatus.Open;
    public string? StaffReply { get; set; }
    public string? RepliedBy { get; set; }
    public DateTimeOffset? RepliedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public static class HandoverStatus
{
    public const string Open = "open";
    public const string Answered = "answered";
    public const string Closed = "closed";
}

public sealed class StaffAccount
{
    public long Id { get; set; }
    public required string UserName { get; set; }
    public required string DisplayName { get; set; }
    public required string PasswordHash { get; set; }
    public string Role { get; set; } = StaffRoles.Staff;
    public bool Disabled { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One signed-in staff session; the cookie names it, and every request checks it is neither revoked nor expired.</summary>
public sealed class StaffSession
{
    public required string Id { get; set; }
    public long StaffAccountId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Absolute end: using the session does not move it.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

public static class StaffRoles
{
    public const string Admin = "admin";
    public const string Staff = "staff";
}

/// <summary>Who did what in the admin; never holds residents' unmasked personal data.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public string? Target { get; set; }
    public string? Detail { get; set; }
}

public sealed class DataProtectionKey
{
    public long Id { get; set; }
    public required string FriendlyName { get; set; }
    public required string Xml { get; set; }
}

/// <summary>A message to every subscriber of a topic and channel, planned by staff or by the campaign calendar.</summary>
public sealed class Broadcast
{
    public long Id { get; set; }
    /// <summary>For calendar broadcasts: campaign part and occurrence date; unique, so an occurrence makes one broadcast.</summary>
    public string? CampaignKey { get; set; }
    public string? Title { get; set; }
    public required string Text { get; set; }
    /// <summary>JSON object channel → text, for channels that get their own wording; null when none do.</summary>
    public string? ChannelTexts { get; set; }
    public string? Topic { get; set; }
    public string? Channel { get; set; }
    public DateTimeOffset SendAt { get; set; }
    public string Status { get; set; } = BroadcastStatus.Scheduled;
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}

public static class BroadcastStatus
{
    public const string Scheduled = "scheduled";
    public const string Sending = "sending";
    public const string Done = "done";
    public const string Cancelled = "cancelled";
}

/// <summary>One recipient of one broadcast: the outbox row that makes a broadcast resumable and sent to everyone at least once.</summary>
public sealed class BroadcastDelivery
{
    public long Id { get; set; }
    public long BroadcastId { get; set; }
    public long ResidentId { get; set; }
    public required string Channel { get; set; }
    public required string ChatId { get; set; }
    public string Status { get; set; } = DeliveryStatus.Pending;
    public int Attempts { get; set; }
    /// <summary>The node that claimed or is sending this row.</summary>
    public string? Node { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Error { get; set; }
}

public static class DeliveryStatus
{
    public const string Pending = "pending";
    /// <summary>Reserved by a node, not yet sent: safe to hand back to pending.</summary>
    public const string Claimed = "claimed";
    /// <summary>The request may have left: never sent again.</summary>
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Failed = "failed";
    /// <summary>The process died or the request timed out while sending: the resident may or may not have it.</summary>
    public const string Uncertain = "uncertain";
    public const string Blocked = "blocked";
    /// <summary>The resident unsubscribed before the send, or the broadcast was cancelled.</summary>
    public const string Skipped = "skipped";
    /// <summary>
    /// Zalo OA: the resident's free consultation window had closed (or its message cap was reached) and no promotion
    /// message could go instead; nothing was sent.
    /// </summary>
    public const string OutsideWindow = "outside_window";
}

/// <summary>
/// The Zalo OA token pair (one row, id 1): seeded from settings once, then replaced by each refresh. RefreshingUntil
/// is the lease of the node refreshing it: the refresh token is single-use, so only the lease holder may spend it.
/// </summary>
public sealed class ZaloOaToken
{
    public long Id { get; set; }
    public required string AccessToken { get; set; }
    public required string RefreshToken { get; set; }
    public DateTimeOffset AccessExpiresAt { get; set; }
    public DateTimeOffset RefreshExpiresAt { get; set; }
    public DateTimeOffset? RefreshingUntil { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>The last refresh that failed, cleared by the next one that succeeds: staff see it in /healthz.</summary>
    public DateTimeOffset? RefreshFailedAt { get; set; }
    public string? RefreshError { get; set; }
}
