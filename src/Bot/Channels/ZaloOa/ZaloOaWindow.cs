using System.Linq.Expressions;
using Bot.Storage;

namespace Bot.Channels.ZaloOa;

/// <summary>
/// Zalo's free consultation window: the OA may send a resident consultation messages for ZaloOa:FreeWindowHours after
/// the resident's last message, and no more than ZaloOa:MessagesPerWindow of them. The window's start and the messages
/// sent since are kept with the resident (residents.last_inbound_at, window_messages), so every node sees them.
/// </summary>
public sealed class ZaloOaWindow(GroupCommit writes, ZaloOaOptions options, TimeProvider time)
{
    /// <summary>A resident wrote at (the event's signed time, never later than now): a new window, nothing sent in it yet.</summary>
    public Task OpenAsync(string userId, DateTimeOffset at)
    {
        var now = time.GetUtcNow();
        var start = writes.Timestamp(at < now ? at : now);
        return writes.ExecuteAsync($"""
            UPDATE residents SET last_inbound_at = {start}, window_messages = 0
            WHERE channel = {ChannelIds.Zalo} AND platform_user_id = {userId} AND (last_inbound_at IS NULL OR last_inbound_at <= {start})
            """);
    }

    /// <summary>Counts consultation messages the OA sent the resident.</summary>
    public Task CountSentAsync(string userId, int messages) => messages <= 0 ? Task.CompletedTask : writes.ExecuteAsync($"""
        UPDATE residents SET window_messages = window_messages + {messages}
        WHERE channel = {ChannelIds.Zalo} AND platform_user_id = {userId}
        """);

    /// <summary>Whether messages more consultation messages may go to a resident in this state now.</summary>
    public bool Allows(DateTimeOffset? lastInboundAt, int sentInWindow, int messages) =>
        lastInboundAt is { } start && time.GetUtcNow() - start < options.FreeWindow && sentInWindow + messages <= options.MessagesPerWindow;

    /// <summary>The same rule for one message, as a query: Zalo OA residents a consultation message may reach now.</summary>
    public Expression<Func<Resident, bool>> Reachable()
    {
        var since = time.GetUtcNow() - options.FreeWindow;
        var cap = options.MessagesPerWindow;
        return r => r.Channel == ChannelIds.Zalo && r.LastInboundAt > since && r.WindowMessages < cap;
    }
}
