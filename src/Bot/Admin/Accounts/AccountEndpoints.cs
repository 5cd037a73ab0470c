using System.Text.RegularExpressions;
using Bot.Admin.Console;
using Bot.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Bot.Admin.Accounts;

/// <summary>Staff accounts (create, reset password, disable, enable) and the audit log: admins only.</summary>
public static partial class AccountEndpoints
{
    public const int MinPasswordLength = 10;
    public const int AuditPageSize = 50;

    public sealed record AccountView(long Id, string UserName, string DisplayName, string Role, bool Disabled, DateTimeOffset CreatedAt);
    public sealed record CreateAccountRequest(string? UserName, string? DisplayName, string? Password, string? Role);
    public sealed record PasswordRequest(string? Password);
    public sealed record AuditView(long Id, DateTimeOffset At, string Actor, string Action, string? Target, string? Detail);
    public sealed record AuditPage(int Total, int Page, int PageSize, IReadOnlyList<AuditView> Entries);

    [GeneratedRegex("^[a-z0-9._-]{3,40}$")]
    private static partial Regex UserNamePattern();

    public static void MapAccounts(this WebApplication app)
    {
        var accounts = app.MapGroup("/api/admin/accounts").WithTags("console: accounts").RequireAuthorization(StaffAuthentication.AdminPolicy);
        accounts.MapGet("/", ListAccounts);
        accounts.MapPost("/", CreateAccount);
        accounts.MapPost("/{id:long}/password", ResetPassword);
        accounts.MapPost("/{id:long}/disable", DisableAccount);
        accounts.MapPost("/{id:long}/enable", EnableAccount);
        app.MapGet("/api/admin/audit", ListAudit).WithTags("console: accounts").RequireAuthorization(StaffAuthentication.AdminPolicy);
    }

    private static async Task<Ok<List<AccountView>>> ListAccounts(BotDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.StaffAccounts.AsNoTracking().OrderBy(a => a.UserName)
            .Select(a => new AccountView(a.Id, a.UserName, a.DisplayName, a.Role, a.Disabled, a.CreatedAt)).ToListAsync(ct));

    private static async Task<Results<Created<AccountView>, ValidationProblem>> CreateAccount(CreateAccountRequest request, HttpContext http,
        BotDbContext db, IPasswordHasher<StaffAccount> hasher, AuditLog audit, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var userName = request.UserName?.Trim().ToLowerInvariant() ?? "";
        var displayName = request.DisplayName?.Trim() ?? "";
        if (!UserNamePattern().IsMatch(userName))
            errors.Add("userName", "Tên đăng nhập 3–40 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới.");
        else if (await db.StaffAccounts.AnyAsync(a => a.UserName == userName, ct))
            errors.Add("userName", $"Tên đăng nhập \"{userName}\" đã có người dùng.");
        if (displayName.Length is 0 or > 100) errors.Add("displayName", "Nhập họ tên (tối đa 100 ký tự).");
        CheckPassword(request.Password, errors);
        if (request.Role is not (StaffRoles.Admin or StaffRoles.Staff)) errors.Add("role", "Chọn vai trò: quản trị hoặc biên tập.");
        if (errors.Any) return errors.ToResult();
        var account = new StaffAccount
        {
            UserName = userName, DisplayName = displayName, PasswordHash = "", Role = request.Role!, CreatedAt = DateTimeOffset.UtcNow,
        };
        account.PasswordHash = hasher.HashPassword(account, request.Password!);
        db.StaffAccounts.Add(account);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(http.User, "staff-add", userName, account.Role, ct);
        return TypedResults.Created($"/api/admin/accounts/{account.Id}", View(account));
    }

    private static void CheckPassword(string? password, FieldErrors errors)
    {
        if ((password?.Length ?? 0) < MinPasswordLength) errors.Add("password", $"Mật khẩu cần ít nhất {MinPasswordLength} ký tự.");
    }

    private static async Task<Results<Ok<AccountView>, ValidationProblem, ProblemHttpResult>> ResetPassword(long id, PasswordRequest request,
        HttpContext http, BotDbContext db, IPasswordHasher<StaffAccount> hasher, AuditLog audit, CancellationToken ct)
    {
        var errors = new FieldErrors();
        CheckPassword(request.Password, errors);
        if (errors.Any) return errors.ToResult();
        var account = await db.StaffAccounts.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (account is null) return TypedResults.Problem("Không có tài khoản này.", statusCode: 404);
        account.PasswordHash = hasher.HashPassword(account, request.Password!);
        await db.SaveChangesAsync(ct);
        await StaffSessions.RevokeAllAsync(db, account.Id);
        await audit.RecordAsync(http.User, "staff-password-reset", account.UserName, ct: ct);
        return TypedResults.Ok(View(account));
    }

    private static Task<Results<Ok<AccountView>, ProblemHttpResult>> DisableAccount(long id, HttpContext http, BotDbContext db, AuditLog audit,
        CancellationToken ct) => SetDisabledAsync(id, true, http, db, audit, ct);

    private static Task<Results<Ok<AccountView>, ProblemHttpResult>> EnableAccount(long id, HttpContext http, BotDbContext db, AuditLog audit,
        CancellationToken ct) => SetDisabledAsync(id, false, http, db, audit, ct);

    private static async Task<Results<Ok<AccountView>, ProblemHttpResult>> SetDisabledAsync(long id, bool disabled, HttpContext http,
        BotDbContext db, AuditLog audit, CancellationToken ct)
    {
        var account = await db.StaffAccounts.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (account is null) return TypedResults.Problem("Không có tài khoản này.", statusCode: 404);
        if (disabled && account.UserName == StaffConsole.Actor(http.User))
            return TypedResults.Problem("Bạn không thể tự khoá tài khoản của mình.", statusCode: 400);
        account.Disabled = disabled;
        await db.SaveChangesAsync(ct);
        if (disabled) await StaffSessions.RevokeAllAsync(db, account.Id);
        await audit.RecordAsync(http.User, disabled ? "staff-disable" : "staff-enable", account.UserName, ct: ct);
        return TypedResults.Ok(View(account));
    }

    private static AccountView View(StaffAccount a) => new(a.Id, a.UserName, a.DisplayName, a.Role, a.Disabled, a.CreatedAt);

    private static async Task<Ok<AuditPage>> ListAudit(string? actor, string? action, string? q, int? page, BotDbContext db, CancellationToken ct)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(actor)) query = query.Where(a => a.Actor == actor.Trim());
        if (!string.IsNullOrWhiteSpace(action)) query = query.Where(a => a.Action == action.Trim());
        if (!string.IsNullOrWhiteSpace(q)) query = query.Where(a => (a.Target ?? "").Contains(q.Trim()) || (a.Detail ?? "").Contains(q.Trim()));
        var number = Math.Max(1, page ?? 1);
        var total = await query.CountAsync(ct);
        var entries = await query.OrderByDescending(a => a.Id).Skip((number - 1) * AuditPageSize).Take(AuditPageSize)
            .Select(a => new AuditView(a.Id, a.At, a.Actor, a.Action, a.Target, a.Detail)).ToListAsync(ct);
        return TypedResults.Ok(new AuditPage(total, number, AuditPageSize, entries));
    }
}
