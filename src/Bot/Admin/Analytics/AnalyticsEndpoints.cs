using System.Globalization;
using Bot.Broadcasts;
using Bot.Channels;
using Bot.Conversation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bot.Admin.Analytics;

/// <summary>The analytics dashboard's API: the period's figures as JSON and each chart as SVG drawn from the same figures.</summary>
public static class AnalyticsEndpoints
{
    public static readonly string[] Charts = ["questions", "outcomes", "entries", "topics", "subscribers", "reach"];

    public static void MapAnalytics(this WebApplication app)
    {
        var group = app.MapGroup("/api/admin/analytics").WithTags("console: analytics").RequireAuthorization(StaffAuthentication.Policy);
        group.MapGet("/", GetFigures);
        group.MapGet("/charts/{chart}.svg", GetChart);
    }

    /// <summary>Reads from and to (yyyy-MM-dd, Vietnam days, both included); none given: this month up to today.</summary>
    public static bool TryReadPeriod(string? from, string? to, TimeProvider time, out Period period, out string error)
    {
        var today = DateOnly.FromDateTime(VietnamTime.ToLocal(time.GetUtcNow()).DateTime);
        period = new Period(new DateOnly(today.Year, today.Month, 1), today);
        error = "";
        if (string.IsNullOrEmpty(from) && string.IsNullOrEmpty(to)) return true;
        if (!DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || !DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end))
        {
            error = "Chọn ngày bắt đầu và ngày kết thúc (dạng năm-tháng-ngày).";
            return false;
        }
        if (end < start)
        {
            error = "Ngày kết thúc phải sau ngày bắt đầu.";
            return false;
        }
        if (end.DayNumber - start.DayNumber + 1 > Period.MaxDays)
        {
            error = $"Mỗi lần xem tối đa {Period.MaxDays} ngày.";
            return false;
        }
        period = new Period(start, end);
        return true;
    }

    private static async Task<Results<Ok<AnalyticsFigures>, ProblemHttpResult>> GetFigures(string? from, string? to, AnalyticsQueries queries,
        KnowledgeProvider knowledge, TimeProvider time, CancellationToken ct)
    {
        if (!TryReadPeriod(from, to, time, out var period, out var error)) return TypedResults.Problem(error, statusCode: 400);
        return TypedResults.Ok(WithQuestions(await queries.ComputeAsync(period, ct), knowledge));
    }

    public static AnalyticsFigures WithQuestions(AnalyticsFigures figures, KnowledgeProvider knowledge) => figures with
    {
        TopEntries = figures.TopEntries.Select(e => e with { Question = EntryLabel(knowledge, e.FaqId) }).ToList(),
        Feedback = figures.Feedback.Select(e => e with { Question = EntryLabel(knowledge, e.FaqId) }).ToList(),
    };

    private static async Task<IResult> GetChart(string chart, string? from, string? to, AnalyticsQueries queries, KnowledgeProvider knowledge,
        TimeProvider time, CancellationToken ct)
    {
        if (!Charts.Contains(chart)) return TypedResults.Problem("Không có biểu đồ này.", statusCode: 404);
        if (!TryReadPeriod(from, to, time, out var period, out var error)) return TypedResults.Problem(error, statusCode: 400);
        var topics = knowledge.Current.Topics.ToDictionary(t => t.Id, t => t.Title);
        string TopicTitle(string? id) => id is null ? "?" : id == AnalyticsQueries.DocumentTopic ? "Tài liệu của xã" : topics.GetValueOrDefault(id, id);
        var svg = chart switch
        {
            "questions" => QuestionsChart(period, await queries.DailyAsync(period, ct)),
            "outcomes" => OutcomesChart(period, await queries.DailyAsync(period, ct)),
            "entries" => SvgCharts.HorizontalBars("Câu hỏi được hỏi nhiều nhất (số lần bot trả lời)",
                (await queries.EntriesAsync(period, ct)).OrderByDescending(e => e.Questions).Take(AnalyticsQueries.TopCount)
                    .Select(e => new SvgCharts.Bar(EntryLabel(knowledge, e.FaqId), e.Questions)).ToList(), Palette.Brand),
            "topics" => SvgCharts.HorizontalBars("Câu hỏi đã trả lời theo chủ đề",
                AnalyticsQueries.Topics(await queries.EntriesAsync(period, ct), await queries.DailyAsync(period, ct)).Select(t => new SvgCharts.Bar(TopicTitle(t.Topic), t.Questions)).ToList(), Palette.Violet),
            "subscribers" => SubscribersChart(period, await queries.SubscribersAsync(period, ct)),
            _ => SvgCharts.HorizontalBars("Tin thông báo: số người nhận được / số người cần gửi",
                (await queries.BroadcastsAsync(period, ct)).Select(b => new SvgCharts.Bar(
                    $"{VietnamTime.ToLocal(b.StartedAt):dd/MM} {b.Title}", b.Sent, b.Total)).ToList(), Palette.Green),
        };
        return Results.Text(svg, "image/svg+xml; charset=utf-8");
    }

    public static string EntryLabel(KnowledgeProvider knowledge, string faqId) => knowledge.Current.FindEntry(faqId)?.Question ?? faqId;

    public static string ChannelName(string channel) => channel switch
    {
        ChannelIds.Telegram => "Telegram",
        ChannelIds.Zalo => "Zalo OA",
        ChannelIds.ZaloBot => "Zalo Bot",
        ChannelIds.WebChat => "Web",
        _ => channel,
    };

    private static class Palette
    {
        public const string Brand = "#0b5cab";
        public const string Green = "#1d6b32";
        public const string Orange = "#d97706";
        public const string Violet = "#6b3fa0";
        public const string Grey = "#9aa5b1";

        public static string Channel(string channel) => channel switch
        {
            ChannelIds.Telegram => "#229ed9",
            ChannelIds.Zalo => "#0068ff",
            ChannelIds.ZaloBot => "#7c3aed",
            ChannelIds.WebChat => "#1d6b32",
            _ => Grey,
        };
    }

    /// <summary>Days for up to two months, weeks (from Monday) beyond: a year stays about 52 bars.</summary>
    private static (List<string> Labels, Func<DateOnly, int> Index) Buckets(Period period)
    {
        if (period.Days <= 62)
            return (Enumerable.Range(0, period.Days).Select(i => $"{period.From.AddDays(i):dd/MM}").ToList(), d => d.DayNumber - period.From.DayNumber);
        var firstMonday = period.From.AddDays(-(((int)period.From.DayOfWeek + 6) % 7));
        var weeks = (period.To.DayNumber - firstMonday.DayNumber) / 7 + 1;
        return (Enumerable.Range(0, weeks).Select(i => $"{firstMonday.AddDays(7 * i):dd/MM}").ToList(), d => (d.DayNumber - firstMonday.DayNumber) / 7);
    }

    private static List<double> Sum<T>(Period period, IEnumerable<T> rows, Func<T, DateOnly> day, Func<T, double> value)
    {
        var (labels, index) = Buckets(period);
        var values = new double[labels.Count];
        foreach (var row in rows) values[index(day(row))] += value(row);
        return [.. values];
    }

    private static string QuestionsChart(Period period, IReadOnlyList<DayChannelRow> daily) =>
        SvgCharts.StackedBars(period.Days <= 62 ? "Câu hỏi mỗi ngày theo kênh" : "Câu hỏi mỗi tuần theo kênh", Buckets(period).Labels,
            daily.Select(d => d.Channel).Distinct().Order(StringComparer.Ordinal)
                .Select(c => new SvgCharts.Series(ChannelName(c), Palette.Channel(c), Sum(period, daily.Where(d => d.Channel == c), d => d.Day, d => d.Questions)))
                .ToList());

    private static string OutcomesChart(Period period, IReadOnlyList<DayChannelRow> daily) =>
        SvgCharts.StackedBars("Bot trả lời và chuyển cho cán bộ", Buckets(period).Labels,
        [
            new("Bot trả lời", Palette.Green, Sum(period, daily, d => d.Day, d => d.Answered)),
            new("Chuyển cán bộ", Palette.Orange, Sum(period, daily, d => d.Day, d => d.HandedOver)),
            new("Khác (lệnh, chưa rõ)", Palette.Grey, Sum(period, daily, d => d.Day, d => d.Questions - d.Answered - d.HandedOver)),
        ]);

    private static string SubscribersChart(Period period, IReadOnlyList<SubscriberDay> days)
    {
        var (labels, index) = Buckets(period);
        // A running total: each bucket shows its last day.
        return SvgCharts.Lines("Người đăng ký nhận tin theo kênh", labels, days.Select(d => d.Channel).Distinct().Order(StringComparer.Ordinal).Select(c =>
        {
            var values = new double[labels.Count];
            foreach (var d in days.Where(d => d.Channel == c)) values[index(d.Day)] = d.Subscribers;
            return new SvgCharts.Series(ChannelName(c), Palette.Channel(c), values);
        }).ToList());
    }
}
