using Bot.Admin.Analytics;
using Bot.Conversation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bot.Admin.Reports;

/// <summary>The periodic report: the dashboard's figures for a period as a Word report and as Excel tables; each export is audited.</summary>
public static class ReportEndpoints
{
    public const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static void MapReports(this WebApplication app)
    {
        var group = app.MapGroup("/api/admin/reports").WithTags("console: reports").RequireAuthorization(StaffAuthentication.Policy);
        group.MapGet("/period.docx", GetDocument);
        group.MapGet("/period.xlsx", GetWorkbook);
    }

    private static Task<Results<FileContentHttpResult, ProblemHttpResult>> GetDocument(string? from, string? to, HttpContext http,
        AnalyticsQueries queries, KnowledgeProvider knowledge, CommuneFacts commune, AuditLog audit, TimeProvider time, CancellationToken ct) =>
        ExportAsync(from, to, "docx", http, queries, knowledge, commune, audit, time, ct);

    private static Task<Results<FileContentHttpResult, ProblemHttpResult>> GetWorkbook(string? from, string? to, HttpContext http,
        AnalyticsQueries queries, KnowledgeProvider knowledge, CommuneFacts commune, AuditLog audit, TimeProvider time, CancellationToken ct) =>
        ExportAsync(from, to, "xlsx", http, queries, knowledge, commune, audit, time, ct);

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportAsync(string? from, string? to, string format,
        HttpContext http, AnalyticsQueries queries, KnowledgeProvider knowledge, CommuneFacts commune, AuditLog audit, TimeProvider time,
        CancellationToken ct)
    {
        if (!AnalyticsEndpoints.TryReadPeriod(from, to, time, out var period, out var error)) return TypedResults.Problem(error, statusCode: 400);
        var figures = await queries.ComputeAsync(period, ct);
        var topics = knowledge.Current.Topics.ToDictionary(t => t.Id, t => t.Title);
        var labels = new PeriodReport.Labels($"UBND {commune.Name}",
            id => id == AnalyticsQueries.DocumentTopic ? "Tài liệu của xã" : topics.GetValueOrDefault(id, id),
            id => AnalyticsEndpoints.EntryLabel(knowledge, id), time.GetUtcNow());
        var name = $"bao-cao-tro-ly-so-{period.From:yyyy-MM-dd}-{period.To:yyyy-MM-dd}.{format}";
        await audit.RecordAsync(http.User, "report-export", name, ct: ct);
        return format == "docx"
            ? TypedResults.File(PeriodReport.Write(figures, labels), DocxType, name)
            : TypedResults.File(PeriodWorkbook.Write(PeriodWorkbook.Sheets(figures, labels)), XlsxType, name);
    }
}
