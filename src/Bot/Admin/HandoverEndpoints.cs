using Bot.Storage;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Bot.Admin;

/// <summary>Staff see what the bot could not answer and reply; the reply reaches the resident on their channel.</summary>
public static class HandoverEndpoints
{
    public sealed record ReplyRequest(string? Text);

    public static void MapHandovers(this WebApplication app)
    {
        var group = app.MapGroup("/api/admin/handovers").WithTags("admin").RequireAuthorization(StaffAuthentication.Policy);

        group.MapGet("/", ListAsync);

        group.MapGet("/{id:long}", async (long id, BotDbContext db, CancellationToken ct) =>
            await db.Handovers.FindAsync([id], ct) is { } h ? Results.Ok(View(h)) : Results.Problem("Không có câu hỏi này.", statusCode: 404));

        group.MapPost("/{id:long}/reply", async (long id, ReplyRequest request, HttpContext http, BotDbContext db, AuditLog audit, CancellationToken ct) =>
        {
            var text = request.Text?.Trim() ?? "";
            if (text.Length == 0) return Results.Problem("Nội dung trả lời đang trống.", statusCode: 400);
            if (text.Length > 3500) return Results.Problem("Nội dung trả lời dài quá 3.500 ký tự.", statusCode: 400);
            var handover = await db.Handovers.FindAsync([id], ct);
            if (handover is null) return Results.Problem("Không có câu hỏi này.", statusCode: 404);
            if (handover.Status != HandoverStatus.Open) return Results.Problem("Câu hỏi này đã được trả lời hoặc đã đóng.", statusCode: 409);
            handover.Status = HandoverStatus.Answered;
            handover.StaffReply = text;
            handover.RepliedBy = http.User.Identity?.Name;
            handover.RepliedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync(ct);
            await audit.RecordAsync(http.User, "handover-reply", $"handover/{id}", text, ct);
            return Results.Ok(View(handover));
        });

        group.MapPost("/{id:long}/close", async (long id, HttpContext http, BotDbContext db, AuditLog audit, CancellationToken ct) =>
        {
            var handover = await db.Handovers.FindAsync([id], ct);
            if (handover is null) return Results.Problem("Không có câu hỏi này.", statusCode: 404);
            handover.Status = HandoverStatus.Closed;
            await db.SaveChangesAsync(ct);
            await audit.RecordAsync(http.User, "handover-close", $"handover/{id}", ct: ct);
            return Results.Ok(View(handover));
        });
    }

    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    private static readonly string[] Statuses = [HandoverStatus.Open, HandoverStatus.Answered, HandoverStatus.Closed];

    /// <summary>
    /// Newest first, filtered by status and channel, a page at a time: `total` counts every match, `next` is the URL
    /// of the following page (null on the last), so nothing is out of staff's reach however long the queue.
    /// </summary>
    private static async Task<IResult> ListAsync(string? status, string? channel, long? before, int? limit, BotDbContext db, CancellationToken ct)
    {
        var size = limit ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
            return Results.Problem($"limit phải từ 1 đến {MaxPageSize} (mặc định {DefaultPageSize}).", statusCode: 400);
        if (!string.IsNullOrEmpty(status) && !Statuses.Contains(status))
            return Results.Problem($"Trạng thái \"{status}\" không có; chọn một trong: {string.Join(", ", Statuses)}.", statusCode: 400);
        var query = db.Handovers.AsQueryable();
        if (!string.IsNullOrEmpty(status)) query = query.Where(h => h.Status == status);
        if (!string.IsNullOrEmpty(channel)) query = query.Where(h => h.Channel == channel);
        var total = await query.CountAsync(ct);
        if (before is { } cursor) query = query.Where(h => h.Id < cursor);
        var rows = await query.OrderByDescending(h => h.Id).Take(size + 1).ToListAsync(ct);
        string? next = null;
        if (rows.Count > size)
        {
            rows.RemoveAt(size);
            next = QueryHelpers.AddQueryString("/api/admin/handovers", new Dictionary<string, string?>
            {
                ["status"] = NullIfEmpty(status), ["channel"] = NullIfEmpty(channel), ["limit"] = size.ToString(), ["before"] = rows[^1].Id.ToString(),
            }.Where(p => p.Value is not null));
        }
        return Results.Ok(new { total, items = rows.Select(View), next });
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static object View(Handover h) => new
    {
        id = h.Id, channel = h.Channel, question = h.Question, status = h.Status, createdAt = h.CreatedAt,
        staffReply = h.StaffReply, repliedBy = h.RepliedBy, repliedAt = h.RepliedAt, deliveredAt = h.DeliveredAt,
    };
}
