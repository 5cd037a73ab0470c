using Bot.Admin;
using Bot.Channels;
using Bot.Conversation;
using Bot.Privacy;
using Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Broadcasts;

/// <summary>The staff API of broadcasts under /api/admin/broadcasts; every staff action is audited.</summary>
public static class BroadcastEndpoints
{
    public sealed record BroadcastRequest(string? Text, string? Topic, string? Channel, DateTimeOffset? SendAt);

    public static void MapBroadcastEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/admin/broadcasts").WithTags("admin").RequireAuthorization(StaffAuthentication.Policy);

        group.MapPost("/", async (BroadcastRequest request, HttpContext http, BroadcastPlanner planner, KnowledgeProvider knowledge,
            BroadcastChannels channels, AuditLog audit, TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow();
            if (Validate(request, knowledge, now) is { } problem) return problem;
            var broadcast = await planner.CreateAsync(new Broadcast
            {
                Text = request.Text!.Trim(),
                Topic = Blank(request.Topic),
                Channel = Blank(request.Channel)?.ToLowerInvariant(),
                SendAt = request.SendAt is { } at && at > now ? at.ToUniversalTime() : now,
                CreatedBy = http.User.Identity?.Name ?? "staff",
            }, ct);
            await audit.RecordAsync(http.User, "broadcast-create", $"broadcast/{broadcast.Id}",
                $"topic={broadcast.Topic ?? "*"} channel={broadcast.Channel ?? "*"} sendAt={broadcast.SendAt:O}", ct);
            var startsAt = planner.StartTime(broadcast.SendAt);
            return Results.Created($"/api/admin/broadcasts/{broadcast.Id}", new
            {
                id = broadcast.Id,
                startsAt,
                warning = channels.For(broadcast.Channel).Count == 0
                    ? "Kênh gửi của tin này đang tắt (Telegram, Zalo OA hay Zalo Bot chưa được bật): tin được lưu nhưng sẽ không gửi tới ai."
                    : startsAt > broadcast.SendAt ? $"Giờ gửi rơi vào giờ nghỉ đêm; tin sẽ gửi lúc {VietnamTime.ToLocal(startsAt):HH:mm dd/MM/yyyy}." : null,
            });
        });

        group.MapGet("/", async (BotDbContext db, CancellationToken ct) =>
        {
            var broadcasts = await db.Broadcasts.OrderByDescending(b => b.Id).Take(100).ToListAsync(ct);
            var counts = await CountsAsync(db, broadcasts.Select(b => b.Id).ToList(), ct);
            return Results.Ok(broadcasts.Select(b => View(b, counts.GetValueOrDefault(b.Id) ?? [])));
        });

        group.MapGet("/{id:long}", async (long id, BotDbContext db, CancellationToken ct) =>
        {
            var broadcast = await db.Broadcasts.FindAsync([id], ct);
            if (broadcast is null) return NotFound();
            var counts = await CountsAsync(db, [id], ct);
            return Results.Ok(View(broadcast, counts.GetValueOrDefault(id) ?? []));
        });

        group.MapPost("/preview", async (BroadcastRequest request, HttpContext http, KnowledgeProvider knowledge, BroadcastText text,
            AuditLog audit, TimeProvider time, CancellationToken ct) =>
        {
            if (Validate(request with { SendAt = null }, knowledge, time.GetUtcNow()) is { } problem) return problem;
            await audit.RecordAsync(http.User, "broadcast-preview", ct: ct);
            return Results.Ok(new { text = text.Render(request.Text!) });
        });

        group.MapPost("/{id:long}/test", async (long id, HttpContext http, BotDbContext db, BroadcastOptions options, BroadcastText text,
            IEnumerable<IChannelSender> senders, AuditLog audit, CancellationToken ct) =>
        {
            var broadcast = await db.Broadcasts.FindAsync([id], ct);
            if (broadcast is null) return NotFound();
            if (options.TestChatIds.Count == 0)
                return Results.Problem("Chưa cấu hình người nhận thử: đặt Broadcasts:TestChatIds là các mã chat Telegram của cán bộ, cách nhau bằng dấu phẩy.", statusCode: 400);
            // Staff test chats are Telegram chats.
            if (senders.FirstOrDefault(s => s.Channel == ChannelIds.Telegram) is not { } sender)
                return Results.Problem("Telegram đang tắt nên không gửi thử được.", statusCode: 400);
            var message = new OutgoingMessage("[GỬI THỬ] " + text.Render(broadcast, ChannelIds.Telegram));
            var failed = new List<long>();
            foreach (var chatId in options.TestChatIds)
            {
                try { await sender.SendAsync(chatId.ToString(), message, ct); }
                catch (Exception e) when (e is not OperationCanceledException) { failed.Add(chatId); }
            }
            await audit.RecordAsync(http.User, "broadcast-test", $"broadcast/{id}", $"recipients={options.TestChatIds.Count} failed={failed.Count}", ct);
            return Results.Ok(new { sent = options.TestChatIds.Count - failed.Count, failed = failed.Count });
        });

        group.MapPost("/{id:long}/cancel", async (long id, HttpContext http, BotDbContext db, BroadcastPlanner planner, AuditLog audit, CancellationToken ct) =>
        {
            if (await db.Broadcasts.FindAsync([id], ct) is null) return NotFound();
            var cancelled = await planner.CancelAsync(id, ct);
            await audit.RecordAsync(http.User, "broadcast-cancel", $"broadcast/{id}", cancelled ? null : "already finished", ct);
            return cancelled
                ? Results.Ok(new { id, status = BroadcastStatus.Cancelled })
                : Results.Problem("Tin này đã gửi xong hoặc đã huỷ trước đó.", statusCode: 409);
        });

        group.MapGet("/{id:long}/recipients", async (long id, string? status, long? after, HttpContext http, BotDbContext db, AuditLog audit,
            CancellationToken ct) =>
        {
            if (await db.Broadcasts.FindAsync([id], ct) is null) return NotFound();
            var query = db.BroadcastDeliveries.Where(d => d.BroadcastId == id && d.Id > (after ?? 0));
            if (!string.IsNullOrEmpty(status)) query = query.Where(d => d.Status == status);
            var rows = await query.OrderBy(d => d.Id).Take(500)
                .Join(db.Residents, d => d.ResidentId, r => r.Id, (d, r) => new { d, r.DisplayName, r.PlatformUserId })
                .ToListAsync(ct);
            await audit.RecordAsync(http.User, "broadcast-recipients", $"broadcast/{id}", ct: ct);
            return Results.Ok(rows.Select(x => new
            {
                deliveryId = x.d.Id,
                resident = string.IsNullOrWhiteSpace(x.DisplayName) ? MaskedId(x.PlatformUserId) : PersonalDataMasker.Mask(x.DisplayName),
                residentId = MaskedId(x.PlatformUserId),
                channel = x.d.Channel,
                status = x.d.Status,
                error = x.d.Error,
                finishedAt = x.d.FinishedAt,
            }));
        });

        group.MapPost("/calendar/reload", async (HttpContext http, CampaignScheduler calendar, AuditLog audit, CancellationToken ct) =>
        {
            try
            {
                var parts = await calendar.ReloadAsync(ct);
                await audit.RecordAsync(http.User, "campaigns-reload", CampaignCalendar.FileName, $"parts={parts.Count}", ct);
                return Results.Ok(new { scheduled = parts.Count, jobs = parts.Select(p => p.Key) });
            }
            catch (CampaignCalendarException e)
            {
                await audit.RecordAsync(http.User, "campaigns-reload-refused", CampaignCalendar.FileName, e.Message, ct);
                return Results.Problem("Lịch truyền thông có lỗi, vẫn giữ lịch cũ:\n" + e.Message, statusCode: 400);
            }
        });
    }

    private static IResult? Validate(BroadcastRequest request, KnowledgeProvider knowledge, DateTimeOffset now)
    {
        var text = request.Text?.Trim() ?? "";
        if (text.Length == 0) return Bad("Nội dung tin đang trống.");
        if (text.Length > BroadcastOptions.MaxTextLength)
            return Bad($"Nội dung tin dài {text.Length} ký tự, quá {BroadcastOptions.MaxTextLength} ký tự cho phép.");
        if (Blank(request.Topic) is { } topic && knowledge.Current.Topics.All(t => t.Id != topic))
            return Bad($"Không có chủ đề \"{topic}\". Các chủ đề: {string.Join(", ", knowledge.Current.Topics.Select(t => t.Id))}.");
        if (Blank(request.Channel) is { } channel && !BroadcastChannels.Known.Contains(channel.ToLowerInvariant()))
            return Bad($"Không có kênh \"{channel}\". Các kênh: {string.Join(", ", BroadcastChannels.Known)}.");
        if (request.SendAt is { } at && at < now - TimeSpan.FromMinutes(1))
            return Bad("Thời điểm gửi đã qua; hãy chọn một thời điểm trong tương lai hoặc để trống để gửi ngay.");
        if (request.SendAt is { } late && late > now + MaxLeadTime)
            return Bad("Thời điểm gửi quá xa: chỉ đặt lịch trong vòng một năm tới.");
        return null;
    }

    /// <summary>How far ahead a broadcast may be planned; beyond it a date is a typo (9999-12-31), not a plan.</summary>
    public static readonly TimeSpan MaxLeadTime = TimeSpan.FromDays(366);

    private static IResult Bad(string message) => Results.Problem(message, statusCode: 400);

    private static IResult NotFound() => Results.Problem("Không có tin này.", statusCode: 404);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Platform ids are phone numbers on some channels: show the last three characters only.</summary>
    private static string MaskedId(string id) => id.Length <= 3 ? "***" : new string('*', id.Length - 3) + id[^3..];

    /// <summary>Per broadcast: rows per channel and status.</summary>
    private static async Task<Dictionary<long, Dictionary<(string Channel, string Status), int>>> CountsAsync(BotDbContext db, List<long> ids,
        CancellationToken ct)
    {
        var rows = await db.BroadcastDeliveries.Where(d => ids.Contains(d.BroadcastId))
            .GroupBy(d => new { d.BroadcastId, d.Channel, d.Status })
            .Select(g => new { g.Key.BroadcastId, g.Key.Channel, g.Key.Status, Count = g.Count() })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.BroadcastId).ToDictionary(g => g.Key, g => g.ToDictionary(r => (r.Channel, r.Status), r => r.Count));
    }

    /// <summary>The counts staff read: each finished status, and pending for rows not finished yet.</summary>
    private static Dictionary<string, int> StatusCounts(IEnumerable<KeyValuePair<string, int>> byStatus)
    {
        var counts = byStatus.GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));
        int Count(string status) => counts.GetValueOrDefault(status);
        return new()
        {
            ["total"] = counts.Values.Sum(),
            ["sent"] = Count(DeliveryStatus.Sent),
            ["failed"] = Count(DeliveryStatus.Failed),
            ["pending"] = Count(DeliveryStatus.Pending) + Count(DeliveryStatus.Claimed) + Count(DeliveryStatus.Sending),
            ["blocked"] = Count(DeliveryStatus.Blocked),
            ["skipped"] = Count(DeliveryStatus.Skipped),
            ["uncertain"] = Count(DeliveryStatus.Uncertain),
            ["outsideWindow"] = Count(DeliveryStatus.OutsideWindow),
        };
    }

    private static object View(Broadcast b, Dictionary<(string Channel, string Status), int> counts)
    {
        var all = StatusCounts(counts.Select(c => KeyValuePair.Create(c.Key.Status, c.Value)));
        return new
        {
            id = b.Id,
            status = b.Status,
            total = all["total"],
            sent = all["sent"],
            failed = all["failed"],
            pending = all["pending"],
            blocked = all["blocked"],
            skipped = all["skipped"],
            uncertain = all["uncertain"],
            outsideWindow = all["outsideWindow"],
            channels = counts.GroupBy(c => c.Key.Channel).OrderBy(g => g.Key)
                .ToDictionary(g => g.Key, g => StatusCounts(g.Select(c => KeyValuePair.Create(c.Key.Status, c.Value)))),
            title = b.Title,
            text = b.Text,
            topic = b.Topic,
            channel = b.Channel,
            sendAt = b.SendAt,
            createdBy = b.CreatedBy,
            createdAt = b.CreatedAt,
            startedAt = b.StartedAt,
            finishedAt = b.FinishedAt,
        };
    }
}
