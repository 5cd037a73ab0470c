using Bot.Admin;
using Bot.Channels.ZaloOa;
using Bot.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Bot.Channels;

/// <summary>
/// GET /api/admin/channels: per channel, whether it is switched on here, its residents, its inbox backlog, and for the
/// Zalo OA the residents inside the free window and the token pair's state (staff see token trouble here and in /healthz).
/// </summary>
public static class ChannelStatusEndpoints
{
    public sealed record InboxCounts(int Pending, int Processing, int Failed);

    public sealed record ChannelStatus(string Channel, bool Enabled, int Residents, int Subscribed, int Blocked, InboxCounts Inbox,
        int? InsideFreeWindow, ZaloOaTokenStatus? Token);

    public static void MapChannelStatus(this WebApplication app) =>
        app.MapGroup("/api/admin/channels").WithTags("admin").RequireAuthorization(StaffAuthentication.Policy).MapGet("/", ListChannels);

    private static async Task<Ok<List<ChannelStatus>>> ListChannels(BotDbContext db, IEnumerable<IInboundUpdateHandler> handlers,
        IServiceProvider services, CancellationToken ct)
    {
        var enabled = handlers.Select(h => h.Channel).Append(ChannelIds.WebChat).ToHashSet();
        var residents = await db.Residents.GroupBy(r => r.Channel)
            .Select(g => new { Channel = g.Key, Count = g.Count(), Subscribed = g.Count(r => r.Subscribed && !r.Blocked), Blocked = g.Count(r => r.Blocked) })
            .ToDictionaryAsync(r => r.Channel, ct);
        var inbox = (await db.InboundUpdates.Where(u => u.Status != InboundUpdateStatus.Done).GroupBy(u => new { u.Channel, u.Status })
            .Select(g => new { g.Key.Channel, g.Key.Status, Count = g.Count() }).ToListAsync(ct)).ToLookup(u => u.Channel);
        int? insideWindow = null;
        ZaloOaTokenStatus? token = null;
        if (services.GetService<ZaloOaWindow>() is { } window && services.GetService<ZaloOaTokens>() is { } tokens)
        {
            insideWindow = await db.Residents.Where(r => r.Subscribed && !r.Blocked).CountAsync(window.Reachable(), ct);
            token = await tokens.StatusAsync(ct);
        }
        return TypedResults.Ok(ChannelIds.All.Select(channel =>
        {
            var people = residents.GetValueOrDefault(channel);
            int Inbox(string status) => inbox[channel].Where(u => u.Status == status).Sum(u => u.Count);
            return new ChannelStatus(channel, enabled.Contains(channel), people?.Count ?? 0, people?.Subscribed ?? 0, people?.Blocked ?? 0,
                new InboxCounts(Inbox(InboundUpdateStatus.Pending), Inbox(InboundUpdateStatus.Processing), Inbox(InboundUpdateStatus.Failed)),
                channel == ChannelIds.Zalo ? insideWindow : null, channel == ChannelIds.Zalo ? token : null);
        }).ToList());
    }
}
