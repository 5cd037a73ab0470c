using System.Security.Claims;
using Bot.Admin.Accounts;
using Bot.Admin.Analytics;
using Bot.Admin.BroadcastPlanning;
using Bot.Admin.Documents;
using Bot.Admin.Faq;
using Bot.Admin.HandoverInbox;
using Bot.Admin.Reports;
using Bot.KnowledgeStore;
using Bot.Storage;
using Microsoft.AspNetCore.Rewrite;

namespace Bot.Admin.Console;

/// <summary>
/// The staff console: the page at /admin (wwwroot/admin, plain JS and CSS served by the bot) and its API, one group
/// per feature. Every call needs a staff session or key (401 otherwise); account management and the audit log
/// need an admin (403 for other staff).
/// </summary>
public static class StaffConsole
{
    public static IServiceCollection AddStaffConsole(this IServiceCollection services)
    {
        services.AddScoped<FaqStore>();
        services.AddScoped<AnalyticsQueries>();
        return services;
    }

    /// <summary>/admin → /admin/, where the static files serve admin/index.html (before the static-file middleware).</summary>
    public static void UseStaffConsolePages(this WebApplication app) =>
        app.UseRewriter(new RewriteOptions().AddRedirect("^admin$", "admin/"));

    public static void MapStaffConsole(this WebApplication app)
    {
        app.MapFaqEditor();
        app.MapDocumentLibrary();
        app.MapHandoverInbox();
        app.MapAccounts();
        app.MapBroadcastPlanning();
        app.MapAnalytics();
        app.MapReports();
    }

    /// <summary>The name a change is recorded under.</summary>
    public static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";
}

/// <summary>Problems keyed by the form field they belong to; the console shows each next to its field.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool Any => errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
        if (!list.Contains(message)) list.Add(message);
    }

    public Microsoft.AspNetCore.Http.HttpResults.ValidationProblem ToResult() => TypedResults.ValidationProblem(
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), title: "Thông tin chưa hợp lệ, xem lời nhắc cạnh từng ô.");
}
