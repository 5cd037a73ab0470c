using System.Globalization;
using System.Reflection;
using Bot.Admin.Console;
using Bot.Broadcasts;
using Bot.Channels;
using Bot.Channels.Telegram;
using Bot.Channels.ZaloBot;
using Bot.Channels.ZaloOa;
using Bot.Conversation;
using Bot.Storage;
using Cronos;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Bot.Admin.BroadcastPlanning;

/// <summary>
/// What the console's broadcast page needs beyond the broadcast API: the month's calendar (campaign occurrences and
/// broadcasts), the channels with their limits and rates, the audience a topic and channel reach, live progress with
/// an estimated finish, and campaigns.yaml edited with the same validation as the file.
/// </summary>
public static class BroadcastPlanningEndpoints
{
    public sealed record ChannelSetup(string Id, bool On, int MaxLength, double MessagesPerSecond);
    public sealed record Setup(string QuietHours, bool QuietNow, DateTimeOffset? QuietEndsAt, int MaxTextLength, IReadOnlyList<ChannelSetup> Channels);
    public sealed record CampaignOccurrence(string Key, string Title, string? Topic, DateTimeOffset At);
    public sealed record BroadcastItem(long Id, string? Title, string Text, string Status, string? Topic, string? Channel, DateTimeOffset SendAt,
        DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string CreatedBy);
    public sealed record CalendarDay(DateOnly Date, IReadOnlyList<CampaignOccurrence> Campaigns, IReadOnlyList<BroadcastItem> Broadcasts);
    public sealed record MonthView(string Month, IReadOnlyList<CalendarDay> Days, string? CalendarError);
    public sealed record ChannelAudience(string Channel, bool On, int Residents, int? InsideFreeWindow, string? Note);
    public sealed record Audience(int Total, IReadOnlyList<ChannelAudience> Channels);
    public sealed record Bucket(string Status, int Count);
    public sealed record Progress(long Id, string Status, int Total, int Finished, int Percent, IReadOnlyList<Bucket> Buckets,
        DateTimeOffset? FinishEstimate, bool QuietNow);
    public sealed record CalendarFile(string Yaml, IReadOnlyList<string> Parts);
    public sealed record CalendarEdit(string? Yaml);

    /// <summary>Rows not finished yet: waiting, claimed by a node, or with their request in flight.</summary>
    private static readonly string[] Unfinished = [DeliveryStatus.Pending, DeliveryStatus.Claimed, DeliveryStatus.Sending];

    /// <summary>Every delivery status the code knows, so a status added later (e.g. outside a free window) gets its own bucket.</summary>
    private static readonly IReadOnlyList<string> DeliveryStatuses = typeof(DeliveryStatus)
        .GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!).ToList();

    public static void MapBroadcastPlanning(this WebApplication app)
    {
        var group = app.MapGroup("/api/admin/broadcasts").WithTags("console: broadcasts").RequireAuthorization(StaffAuthentication.Policy);
        group.MapGet("/setup", GetSetup);
        group.MapGet("/month", GetMonth);
        group.MapGet("/audience", GetAudience);
        group.MapGet("/{id:long}/progress", GetProgress);
        group.MapGet("/calendar", GetCalendar);
        group.MapPut("/calendar", SaveCalendar);
    }

    private static Ok<Setup> GetSetup(BroadcastOptions options, IEnumerable<IBroadcastChannel> channels, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var on = channels.ToDictionary(c => c.Channel);
        var quiet = options.QuietHours.IsQuiet(now);
        return TypedResults.Ok(new Setup(options.QuietHours.ToString(), quiet, quiet ? options.QuietHours.NextAllowed(now) : null,
            BroadcastOptions.MaxTextLength,
            BroadcastChannels.Known.Where(c => c != ChannelIds.WebChat)
                .Select(c => new ChannelSetup(c, on.ContainsKey(c), MaxLength(c), on.TryGetValue(c, out var ch) ? ch.MaxUsefulSenders : 0)).ToList()));
    }

    /// <summary>The longest message one send carries on the channel; a longer broadcast is split (Zalo) or refused (Telegram).</summary>
    private static int MaxLength(string channel) => channel switch
    {
        ChannelIds.Telegram => TelegramText.MaxMessageLength,
        ChannelIds.ZaloBot => ZaloBotApi.MaxMessageLength,
        ChannelIds.Zalo => ZaloOaApi.MaxMessageLength,
        _ => BroadcastOptions.MaxTextLength,
    };

    /// <param name="month">yyyy-MM in Vietnam time; the current month when absent.</param>
    private static async Task<Results<Ok<MonthView>, ProblemHttpResult>> GetMonth(string? month, BotDbContext db, KnowledgeProvider knowledge,
        TimeProvider time, CancellationToken ct)
    {
        var today = VietnamTime.ToLocal(time.GetUtcNow());
        var first = new DateOnly(today.Year, today.Month, 1);
        if (!string.IsNullOrEmpty(month) && !DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first))
            return TypedResults.Problem("Tháng phải có dạng năm-tháng, ví dụ 2026-10.", statusCode: 400);
        var from = LocalMidnight(first);
        var to = LocalMidnight(first.AddMonths(1));

        string? calendarError = null;
        var occurrences = new List<CampaignOccurrence>();
        try
        {
            foreach (var part in CampaignCalendar.Load(knowledge.Root))
                occurrences.AddRange(CronExpression.Parse(part.Cron, CronFormat.IncludeSeconds)
                    .GetOccurrences(from, to, VietnamTime.Zone, fromInclusive: true, toInclusive: false)
                    .Select(at => new CampaignOccurrence(part.Key, part.Title, part.Topic, at)));
        }
        catch (CampaignCalendarException e)
        {
            calendarError = e.Message;
        }
        var broadcasts = await db.Broadcasts.AsNoTracking()
            .Where(b => (b.SendAt >= from && b.SendAt < to) || (b.StartedAt >= from && b.StartedAt < to))
            .OrderBy(b => b.SendAt).ToListAsync(ct);
        var days = Enumerable.Range(0, first.AddMonths(1).DayNumber - first.DayNumber).Select(first.AddDays).Select(day => new CalendarDay(day,
            occurrences.Where(o => LocalDate(o.At) == day).OrderBy(o => o.At).ToList(),
            broadcasts.Where(b => LocalDate(b.StartedAt ?? b.SendAt) == day).Select(Item).ToList())).ToList();
        return TypedResults.Ok(new MonthView($"{first:yyyy-MM}", days, calendarError));
    }

    private static DateTimeOffset LocalMidnight(DateOnly day) =>
        new(day.ToDateTime(TimeOnly.MinValue), VietnamTime.Zone.GetUtcOffset(day.ToDateTime(TimeOnly.MinValue)));

    private static DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(VietnamTime.ToLocal(at).DateTime);

    private static BroadcastItem Item(Broadcast b) =>
        new(b.Id, b.Title, b.Text, b.Status, b.Topic, b.Channel, b.SendAt, b.StartedAt, b.FinishedAt, b.CreatedBy);

    /// <summary>
    /// The residents a broadcast for topic and channel would go to now, counted as the outbox selects them; for Zalo OA
    /// also how many of them are inside the free window with room under the cap (ZaloOaWindow's rule), the others get a
    /// promotion message or count as outside the window.
    /// </summary>
    private static async Task<Results<Ok<Audience>, ProblemHttpResult>> GetAudience(string? topic, string? channel, BotDbContext db,
        KnowledgeProvider knowledge, BroadcastChannels channels, IServiceProvider services, CancellationToken ct)
    {
        topic = string.IsNullOrWhiteSpace(topic) ? null : topic.Trim();
        channel = string.IsNullOrWhiteSpace(channel) ? null : channel.Trim().ToLowerInvariant();
        if (topic is not null && knowledge.Current.Topics.All(t => t.Id != topic))
            return TypedResults.Problem($"Không có chủ đề \"{topic}\".", statusCode: 400);
        if (channel is not null && !BroadcastChannels.Known.Contains(channel))
            return TypedResults.Problem($"Không có kênh \"{channel}\".", statusCode: 400);
        var query = db.Residents.AsNoTracking().Where(r => r.Subscribed && !r.Blocked);
        if (channel is not null) query = query.Where(r => r.Channel == channel);
        if (topic is not null)
        {
            var member = "," + topic + ",";
            query = query.Where(r => r.Topics == "" || ("," + r.Topics + ",").Contains(member));
        }
        var counts = await query.GroupBy(r => r.Channel).Select(g => new { Channel = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Channel, g => g.Count, ct);
        int? insideWindow = null;
        string? windowNote = null;
        if (services.GetService<ZaloOaOptions>() is { } oa && services.GetService<ZaloOaWindow>() is { } window)
        {
            insideWindow = await query.CountAsync(window.Reachable(), ct);
            windowNote = $"{insideWindow} người còn trong {oa.FreeWindowHours} giờ nhắn miễn phí; " + (oa.PromotionEnabled
                ? "người ngoài thời hạn nhận tin khuyến mãi khi còn hạn mức."
                : "người ngoài thời hạn không nhận được tin và được đếm là “ngoài thời hạn”.");
        }
        var shown = BroadcastChannels.Known.Where(c => c != ChannelIds.WebChat && (channel is null || c == channel)).ToList();
        var on = channels.For(channel);
        var rows = shown.Select(c => c == ChannelIds.Zalo
            ? new ChannelAudience(c, on.Contains(c), counts.GetValueOrDefault(c), insideWindow, windowNote)
            : new ChannelAudience(c, on.Contains(c), counts.GetValueOrDefault(c), null, null)).ToList();
        return TypedResults.Ok(new Audience(rows.Where(r => r.On).Sum(r => r.Residents), rows));
    }

    private static async Task<Results<Ok<Progress>, ProblemHttpResult>> GetProgress(long id, BotDbContext db, BroadcastOptions options,
        IEnumerable<IBroadcastChannel> channels, TimeProvider time, CancellationToken ct)
    {
        var broadcast = await db.Broadcasts.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, ct);
        if (broadcast is null) return TypedResults.Problem("Không có tin này.", statusCode: 404);
        var rows = await db.BroadcastDeliveries.Where(d => d.BroadcastId == id)
            .GroupBy(d => new { d.Channel, d.Status }).Select(g => new { g.Key.Channel, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        var byStatus = rows.GroupBy(r => r.Status).ToDictionary(g => g.Key, g => g.Sum(r => r.Count));
        var buckets = DeliveryStatuses.Where(s => !Unfinished.Contains(s)).Prepend(DeliveryStatus.Pending)
            .Concat(byStatus.Keys.Where(s => !DeliveryStatuses.Contains(s)))
            .Select(s => new Bucket(s, s == DeliveryStatus.Pending ? Unfinished.Sum(byStatus.GetValueOrDefault) : byStatus.GetValueOrDefault(s)))
            .ToList();
        var total = rows.Sum(r => r.Count);
        var finished = total - Unfinished.Sum(byStatus.GetValueOrDefault);
        var now = time.GetUtcNow();
        return TypedResults.Ok(new Progress(id, broadcast.Status, total, finished,
            total == 0 ? (broadcast.Status is BroadcastStatus.Done or BroadcastStatus.Cancelled ? 100 : 0) : (int)Math.Floor(100.0 * finished / total),
            buckets, FinishEstimate(broadcast, rows.Where(r => Unfinished.Contains(r.Status)).GroupBy(r => r.Channel)
                .ToDictionary(g => g.Key, g => g.Sum(r => r.Count)), channels, options.QuietHours, now),
            options.QuietHours.IsQuiet(now)));
    }

    /// <summary>
    /// When the rest will have gone: each channel sends at its own rate, side by side, from the later of now and the
    /// broadcast's start; the quiet hours it runs into are added. Null when nothing is left or no channel can send it.
    /// </summary>
    public static DateTimeOffset? FinishEstimate(Broadcast broadcast, IReadOnlyDictionary<string, int> remaining,
        IEnumerable<IBroadcastChannel> channels, QuietHours quiet, DateTimeOffset now)
    {
        if (broadcast.Status is BroadcastStatus.Done or BroadcastStatus.Cancelled) return broadcast.FinishedAt;
        if (broadcast.Status != BroadcastStatus.Sending || remaining.Count == 0) return null;
        var rates = channels.ToDictionary(c => c.Channel, c => (double)c.MaxUsefulSenders);
        if (!remaining.Keys.Any(rates.ContainsKey)) return null;
        var left = TimeSpan.FromSeconds(remaining.Where(r => rates.ContainsKey(r.Key)).Max(r => r.Value / rates[r.Key]));
        // Minute by minute, skipping the quiet hours it runs into (at most two weeks ahead: beyond that it is a guess anyway).
        var at = now;
        var step = TimeSpan.FromMinutes(1);
        for (var i = 0; left > step && i < 14 * 24 * 60; i++)
        {
            at = quiet.NextAllowed(at) + step;
            left -= step;
        }
        return quiet.NextAllowed(at) + left;
    }

    private static async Task<Ok<CalendarFile>> GetCalendar(KnowledgeProvider knowledge, CancellationToken ct)
    {
        var path = Path.Combine(knowledge.Root, CampaignCalendar.FileName);
        var yaml = File.Exists(path) ? await File.ReadAllTextAsync(path, ct) : "";
        IReadOnlyList<string> parts;
        try { parts = CampaignCalendar.Parse(yaml).Select(p => p.Key).ToList(); }
        catch (CampaignCalendarException) { parts = []; }
        return TypedResults.Ok(new CalendarFile(yaml, parts));
    }

    /// <summary>
    /// Saves campaigns.yaml as staff typed it, after the file's own validation (a refused text changes nothing), and
    /// reschedules at once.
    /// </summary>
    private static async Task<Results<Ok<CalendarFile>, ValidationProblem>> SaveCalendar(CalendarEdit edit, HttpContext http,
        KnowledgeProvider knowledge, CampaignScheduler scheduler, AuditLog audit, CancellationToken ct)
    {
        var yaml = (edit.Yaml ?? "").Replace("\r\n", "\n");
        IReadOnlyList<CampaignPart> parts;
        try
        {
            parts = CampaignCalendar.Parse(yaml);
        }
        catch (CampaignCalendarException e)
        {
            var errors = new FieldErrors();
            foreach (var error in e.Errors) errors.Add("yaml", error);
            await audit.RecordAsync(http.User, "campaigns-edit-refused", CampaignCalendar.FileName, e.Message, ct);
            return errors.ToResult();
        }
        var path = Path.Combine(knowledge.Root, CampaignCalendar.FileName);
        var temporary = path + ".saving";
        await File.WriteAllTextAsync(temporary, yaml, ct);
        File.Move(temporary, path, overwrite: true);
        await scheduler.ReloadAsync(ct);
        await audit.RecordAsync(http.User, "campaigns-edit", CampaignCalendar.FileName, $"parts={parts.Count}", ct);
        return TypedResults.Ok(new CalendarFile(yaml, parts.Select(p => p.Key).ToList()));
    }
}
