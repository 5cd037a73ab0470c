using Bot.Admin.HandoverInbox;
using Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Admin.Analytics;

/// <summary>A span of Vietnam calendar days, both ends included.</summary>
public sealed record Period(DateOnly From, DateOnly To)
{
    public const int MaxDays = 400;

    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The first instant of From and the first instant after To, in UTC (Vietnam has no daylight saving).</summary>
    public DateTimeOffset Start => Midnight(From);
    public DateTimeOffset End => Midnight(To.AddDays(1));

    public static DateTimeOffset Midnight(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), VietnamOffset).ToUniversalTime();

    public static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);
}

public sealed record Totals(long Questions, long Answered, long HandedOver, long ResidentsServed, long HandoversResolved, long HandoversOpen,
    long Helpful, long NotHelpful, long Subscribers, long NewSubscribers, long Broadcasts, long Deliveries, long DeliveriesSent, long ResidentsReached);
public sealed record DayChannelRow(DateOnly Day, string Channel, long Questions, long Answered, long HandedOver, long Helpful, long NotHelpful,
    long AnsweredFromDocuments);
public sealed record EntryRow(string FaqId, string? Topic, long Questions, long Helpful, long NotHelpful)
{
    /// <summary>The entry's question as staff know it, filled in from the knowledge base by the caller.</summary>
    public string? Question { get; init; }
}
public sealed record TopicRow(string Topic, long Questions);
public sealed record UnansweredGroup(string Question, long Count);
public sealed record SubscriberDay(DateOnly Day, string Channel, long Subscribers);
public sealed record TopicSubscribers(string Topic, string Channel, long Subscribers);
public sealed record BroadcastReach(long Id, string Title, string? CampaignKey, string Status, DateTimeOffset StartedAt, long Total, long Sent,
    IReadOnlyDictionary<string, long> ByStatus);

/// <summary>Everything the dashboard and the periodic report show for one period.</summary>
public sealed record AnalyticsFigures(Period Period, Totals Totals, IReadOnlyList<DayChannelRow> Daily, IReadOnlyList<EntryRow> TopEntries,
    IReadOnlyList<TopicRow> Topics, IReadOnlyList<UnansweredGroup> Unanswered, IReadOnlyList<EntryRow> Feedback,
    IReadOnlyList<SubscriberDay> Subscribers, IReadOnlyList<TopicSubscribers> SubscribersByTopic, IReadOnlyList<BroadcastReach> Broadcasts);

/// <summary>
/// The dashboard's figures, each computed by the database (SQLite or PostgreSQL) with one grouped query over the
/// period's rows, so a year of a large commune's traffic stays fast (see `bench analytics`). Days are Vietnam days.
/// </summary>
public sealed class AnalyticsQueries(BotDbContext db, DatabaseOptions options)
{
    public const int TopCount = 10;
    private const int UnansweredScanned = 200;
    public const string DocumentTopic = "tai-lieu";

    private bool Postgres => options.Provider == DatabaseProvider.Postgres;

    /// <summary>
    /// The Vietnam day of conversation_log.created_at as a day number (<see cref="DateOnly.DayNumber"/>). On SQLite it is
    /// the expression of the index ix_conversation_log_day (schema 12), written identically so that the planner reads
    /// the index in day order instead of sorting the rows: EF Core's binary DateTimeOffset is UTC ticks / 1000 shifted
    /// 11 bits (offset 0 below them).
    /// </summary>
    private string Day(string column) => Postgres
        ? $"CAST(({column} AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - DATE '0001-01-01' AS bigint)"
        : $"((({column} >> 11) + 252000000) / 864000000)";

    private string False => Postgres ? "FALSE" : "0";

    private string True(string column) => Postgres ? column : $"{column} <> 0";

    private object At(DateTimeOffset value) => StoredTimestamps.For(options.Provider, value);

    private IQueryable<T> Query<T>(string sql, params object[] parameters) => db.Database.SqlQueryRaw<T>(sql, parameters);

    public async Task<AnalyticsFigures> ComputeAsync(Period period, CancellationToken ct)
    {
        var daily = await DailyAsync(period, ct);
        var entries = await EntriesAsync(period, ct);
        var broadcasts = await BroadcastsAsync(period, ct);
        return new AnalyticsFigures(period, await TotalsAsync(period, daily, broadcasts, ct), daily, entries.OrderByDescending(e => e.Questions).Take(TopCount).ToList(),
            Topics(entries, daily), await UnansweredAsync(period, ct),
            entries.Where(e => e.Helpful + e.NotHelpful > 0).OrderByDescending(e => e.NotHelpful).ThenByDescending(e => e.Helpful).Take(TopCount * 2).ToList(),
            await SubscribersAsync(period, ct), await SubscribersByTopicAsync(ct), broadcasts);
    }

    private sealed record DayRow(long Day, string Channel, long Questions, long Answered, long HandedOver, long Helpful, long NotHelpful, long FromDocuments);

    /// <summary>Questions per Vietnam day and channel: answered, handed over, rated, answered from documents.</summary>
    public async Task<List<DayChannelRow>> DailyAsync(Period period, CancellationToken ct)
    {
        // SQLite selects the period by the indexed day itself; PostgreSQL by the timestamp (and aggregates by hash).
        var (where, from, to) = Postgres
            ? ("created_at >= {0} AND created_at < {1}", At(period.Start), At(period.End))
            : ($"{Day("created_at")} BETWEEN {{0}} AND {{1}}", (object)(long)period.From.DayNumber, (object)(long)period.To.DayNumber);
        var rows = await Query<DayRow>($$"""
            SELECT {{Day("created_at")}} AS "Day", channel AS "Channel", COUNT(*) AS "Questions",
                   SUM(CASE WHEN {{True("answered")}} THEN 1 ELSE 0 END) AS "Answered",
                   SUM(CASE WHEN {{True("handed_over")}} THEN 1 ELSE 0 END) AS "HandedOver",
                   SUM(CASE WHEN feedback > 0 THEN 1 ELSE 0 END) AS "Helpful",
                   SUM(CASE WHEN feedback < 0 THEN 1 ELSE 0 END) AS "NotHelpful",
                   SUM(CASE WHEN {{True("answered")}} AND faq_id IS NULL THEN 1 ELSE 0 END) AS "FromDocuments"
            FROM conversation_log WHERE {{where}}
            GROUP BY 1, 2
            """, from, to).ToListAsync(ct);
        return rows.Select(r => new DayChannelRow(DateOnly.FromDayNumber((int)r.Day), r.Channel, r.Questions, r.Answered, r.HandedOver,
                r.Helpful, r.NotHelpful, r.FromDocuments))
            .OrderBy(r => r.Day).ThenBy(r => r.Channel, StringComparer.Ordinal).ToList();
    }

    private sealed record CountRow(long Count);
    private sealed record HandoverRow(string Status, long Count);

    /// <summary>The period's totals; the questions and ratings are those of daily, the broadcasts those of broadcasts.</summary>
    public async Task<Totals> TotalsAsync(Period period, IReadOnlyList<DayChannelRow> daily, IReadOnlyList<BroadcastReach> broadcasts, CancellationToken ct)
    {
        var start = At(period.Start);
        var end = At(period.End);
        // Distinct residents as "residents with a row in the period": one index probe per resident, no sort of the rows.
        var served = await Query<CountRow>("""
            SELECT COUNT(*) AS "Count" FROM residents r
            WHERE EXISTS (SELECT 1 FROM conversation_log c WHERE c.resident_id = r.id AND c.created_at >= {0} AND c.created_at < {1})
            """, start, end).SingleAsync(ct);
        var handovers = await Query<HandoverRow>("""
            SELECT status AS "Status", COUNT(*) AS "Count" FROM handovers WHERE created_at >= {0} AND created_at < {1} GROUP BY status
            """, start, end).ToListAsync(ct);
        var subscribers = await Query<CountRow>($$"""
            SELECT COUNT(*) AS "Count" FROM residents WHERE {{True("subscribed")}} AND NOT ({{True("blocked")}})
            """).SingleAsync(ct);
        var newSubscribers = await Query<CountRow>($$"""
            SELECT COUNT(*) AS "Count" FROM residents WHERE {{True("subscribed")}} AND consent_at >= {0} AND consent_at < {1}
            """, start, end).SingleAsync(ct);
        // Broadcasts go to subscribers only, and consent_at is kept once given: residents who never consented are skipped,
        // and each other one costs a probe per broadcast of the period until one reached them.
        var reached = await Query<CountRow>($$"""
            SELECT COUNT(*) AS "Count" FROM residents r
            WHERE r.consent_at IS NOT NULL
              AND EXISTS (SELECT 1 FROM broadcast_deliveries d
                          WHERE d.resident_id = r.id AND d.status = '{{DeliveryStatus.Sent}}'
                            AND d.broadcast_id IN (SELECT b.id FROM broadcasts b WHERE b.started_at >= {0} AND b.started_at < {1}))
            """, start, end).SingleAsync(ct);
        long Handovers(params string[] statuses) => handovers.Where(h => statuses.Contains(h.Status)).Sum(h => h.Count);
        return new Totals(daily.Sum(d => d.Questions), daily.Sum(d => d.Answered), daily.Sum(d => d.HandedOver), served.Count,
            Handovers(HandoverStatus.Answered, HandoverStatus.Closed), Handovers(HandoverStatus.Open), daily.Sum(d => d.Helpful), daily.Sum(d => d.NotHelpful),
            subscribers.Count, newSubscribers.Count, broadcasts.Count, broadcasts.Sum(b => b.Total), broadcasts.Sum(b => b.Sent), reached.Count);
    }

    private sealed record EntryCountRow(string FaqId, string? Topic, long Questions, long Helpful, long NotHelpful);

    /// <summary>Per FAQ entry answered with in the period: questions, 👍 and 👎 (grouped in the order of ix_conversation_log_entry).</summary>
    public async Task<List<EntryRow>> EntriesAsync(Period period, CancellationToken ct) =>
        (await Query<EntryCountRow>("""
            SELECT g.faq_id AS "FaqId", e.topic AS "Topic", g.questions AS "Questions", g.helpful AS "Helpful", g.not_helpful AS "NotHelpful"
            FROM (SELECT faq_id, COUNT(*) AS questions, SUM(CASE WHEN feedback > 0 THEN 1 ELSE 0 END) AS helpful,
                         SUM(CASE WHEN feedback < 0 THEN 1 ELSE 0 END) AS not_helpful
                  FROM conversation_log WHERE faq_id IS NOT NULL AND created_at >= {0} AND created_at < {1}
                  GROUP BY faq_id) g
            LEFT JOIN faq_entries e ON e.id = g.faq_id
            """, At(period.Start), At(period.End)).ToListAsync(ct))
        .Select(r => new EntryRow(r.FaqId, r.Topic, r.Questions, r.Helpful, r.NotHelpful)).ToList();

    /// <summary>Answered questions per topic of the entry answered with; answers from documents count under <see cref="DocumentTopic"/>.</summary>
    public static List<TopicRow> Topics(IReadOnlyList<EntryRow> entries, IReadOnlyList<DayChannelRow> daily) =>
        entries.GroupBy(e => e.Topic ?? "?").Select(g => new TopicRow(g.Key, g.Sum(e => e.Questions)))
            .Append(new TopicRow(DocumentTopic, daily.Sum(d => d.AnsweredFromDocuments))).Where(t => t.Questions > 0)
            .OrderByDescending(t => t.Questions).ThenBy(t => t.Topic, StringComparer.Ordinal).ToList();

    private sealed record QuestionCountRow(string Question, long Count);

    /// <summary>
    /// The questions most often left unanswered: counted per exact text by the database, then the texts that differ only
    /// in case, diacritics or punctuation merged as the handover inbox groups them.
    /// </summary>
    public async Task<List<UnansweredGroup>> UnansweredAsync(Period period, CancellationToken ct)
    {
        var rows = await Query<QuestionCountRow>($$"""
            SELECT question AS "Question", COUNT(*) AS "Count" FROM conversation_log
            WHERE answered = {{False}} AND created_at >= {0} AND created_at < {1}
            GROUP BY question ORDER BY 2 DESC LIMIT {{UnansweredScanned}}
            """, At(period.Start), At(period.End)).ToListAsync(ct);
        return rows.GroupBy(r => InboxEndpoints.GroupKey(r.Question))
            .Select(g => new UnansweredGroup(g.MaxBy(r => r.Count)!.Question, g.Sum(r => r.Count)))
            .OrderByDescending(g => g.Count).ThenBy(g => g.Question, StringComparer.Ordinal).Take(TopCount * 2).ToList();
    }

    private sealed record SubscriberRow(long Day, string Channel, long Subscribers);

    /// <summary>
    /// Residents subscribed today, by the day they subscribed, as a running total per channel over the period (those
    /// who subscribed before it are the starting point). Who unsubscribed is not kept with a date, so they are absent
    /// throughout.
    /// </summary>
    public async Task<List<SubscriberDay>> SubscribersAsync(Period period, CancellationToken ct)
    {
        var rows = await Query<SubscriberRow>($$"""
            SELECT CASE WHEN consent_at < {0} THEN 0 ELSE {{Day("consent_at")}} END AS "Day", channel AS "Channel", COUNT(*) AS "Subscribers"
            FROM residents WHERE {{True("subscribed")}} AND consent_at < {1}
            GROUP BY 1, 2
            """, At(period.Start), At(period.End)).ToListAsync(ct);
        var series = new List<SubscriberDay>();
        foreach (var channel in rows.Select(r => r.Channel).Distinct().Order(StringComparer.Ordinal))
        {
            var byDay = rows.Where(r => r.Channel == channel).ToDictionary(r => r.Day, r => r.Subscribers);
            var running = byDay.GetValueOrDefault(0);
            for (var day = period.From; day <= period.To; day = day.AddDays(1))
            {
                running += byDay.GetValueOrDefault(day.DayNumber);
                series.Add(new SubscriberDay(day, channel, running));
            }
        }
        return series;
    }

    private sealed record TopicChannelRow(string Topic, string Channel, long Subscribers);

    /// <summary>Subscribers now per topic and channel; a resident who chose no topic follows every topic.</summary>
    public async Task<List<TopicSubscribers>> SubscribersByTopicAsync(CancellationToken ct) =>
        (await Query<TopicChannelRow>($$"""
            SELECT t.id AS "Topic", r.channel AS "Channel", COUNT(*) AS "Subscribers"
            FROM residents r JOIN faq_topics t ON r.topics = '' OR {{(Postgres ? "strpos" : "instr")}}(',' || r.topics || ',', ',' || t.id || ',') > 0
            WHERE {{True("r.subscribed")}} AND NOT ({{True("r.blocked")}})
            GROUP BY t.id, r.channel ORDER BY 1, 2
            """).ToListAsync(ct))
        .Select(r => new TopicSubscribers(r.Topic, r.Channel, r.Subscribers)).ToList();

    private sealed record BroadcastStatusRow(long Id, string Status, long Count);

    /// <summary>Broadcasts started in the period with their deliveries by status.</summary>
    public async Task<List<BroadcastReach>> BroadcastsAsync(Period period, CancellationToken ct)
    {
        var broadcasts = await db.Broadcasts.AsNoTracking()
            .Where(b => b.StartedAt >= period.Start && b.StartedAt < period.End)
            .OrderBy(b => b.StartedAt).ThenBy(b => b.Id).ToListAsync(ct);
        var counts = await Query<BroadcastStatusRow>("""
            SELECT d.broadcast_id AS "Id", d.status AS "Status", COUNT(*) AS "Count"
            FROM broadcast_deliveries d JOIN broadcasts b ON b.id = d.broadcast_id
            WHERE b.started_at >= {0} AND b.started_at < {1}
            GROUP BY d.broadcast_id, d.status
            """, At(period.Start), At(period.End)).ToListAsync(ct);
        var byBroadcast = counts.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, long>)g.ToDictionary(c => c.Status, c => c.Count));
        return broadcasts.Select(b =>
        {
            var statuses = byBroadcast.GetValueOrDefault(b.Id) ?? new Dictionary<string, long>();
            return new BroadcastReach(b.Id, b.Title ?? FirstLine(b.Text), b.CampaignKey, b.Status, b.StartedAt!.Value, statuses.Values.Sum(),
                statuses.GetValueOrDefault(DeliveryStatus.Sent), statuses);
        }).ToList();
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 80 ? line[..80] + "…" : line;
    }
}
