using System.Security.Claims;
using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Bot.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;

namespace Bot.Admin;

/// <summary>Staff sign in with an account (cookie session) or call the API with a key; both pass the "Staff" policy.</summary>
public static class StaffAuthentication
{
    public const string Policy = "Staff";

    /// <summary>Admin staff only (an admin account or an API key), e.g. Hangfire's dashboard.</summary>
    public const string AdminPolicy = "Admin";
    private const string SelectScheme = "StaffOrKey";
    private const string LoginLimiter = "staff-login";

    public static IServiceCollection AddStaffAuthentication(this IServiceCollection services)
    {
        services.AddAdminOptions();
        services.AddSingleton<AdminApiKeys>();
        services.AddDataProtection().SetApplicationName("commune-bot");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(
            o => o.XmlRepository = new DatabaseXmlRepository(sp.GetRequiredService<IServiceScopeFactory>())));
        services.AddScoped<AuditLog>();
        services.AddSingleton<IPasswordHasher<StaffAccount>, PasswordHasher<StaffAccount>>();
        services.AddAuthentication(SelectScheme)
            .AddPolicyScheme(SelectScheme, null, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(o =>
            {
                o.Cookie.Name = "bot_staff";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure over HTTPS, and behind a known proxy that says so
                o.SlidingExpiration = false;
                o.Events.OnValidatePrincipal = StaffSessions.ValidateAsync;
                o.Events.OnRedirectToLogin = c => { c.Response.StatusCode = 401; return Task.CompletedTask; };
                o.Events.OnRedirectToAccessDenied = c => { c.Response.StatusCode = 403; return Task.CompletedTask; };
            });
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<AdminOptions>>((o, admin) => o.ExpireTimeSpan = admin.Value.SessionLifetime);
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.RequireAuthenticatedUser())
            .AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Admin));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(LoginLimiter, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) }));
        });
        return services;
    }

    public sealed record LoginRequest(string? UserName, string? Password);

    private static readonly StaffAccount UnknownAccount = new() { UserName = "", DisplayName = "", PasswordHash = "" };
    private static readonly Lazy<string> UnknownAccountHash = new(() =>
        new PasswordHasher<StaffAccount>().HashPassword(UnknownAccount, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));

    public static void MapStaffAuth(this WebApplication app)
    {
        var group = app.MapGroup("/api/admin").WithTags("admin");
        group.MapPost("/login", async (LoginRequest request, HttpContext http, BotDbContext db,
            IPasswordHasher<StaffAccount> hasher, IOptions<AdminOptions> options, AuditLog audit, CancellationToken ct) =>
        {
            var userName = request.UserName?.Trim() ?? "";
            var account = await db.StaffAccounts.FirstOrDefaultAsync(s => s.UserName == userName && !s.Disabled, ct);
            // An unknown user costs one password hash too, so the time taken does not tell which user names exist.
            var verified = hasher.VerifyHashedPassword(account ?? UnknownAccount, account?.PasswordHash ?? UnknownAccountHash.Value, request.Password ?? "")
                           != PasswordVerificationResult.Failed;
            if (account is null || string.IsNullOrEmpty(request.Password) || !verified)
            {
                await audit.RecordAsync(userName.Length == 0 ? "anonymous" : userName, "login-failed", ct: ct);
                return Results.Problem("Sai tên đăng nhập hoặc mật khẩu.", statusCode: 401);
            }
            var sessionId = await StaffSessions.StartAsync(db, account, options.Value.SessionLifetime, ct);
            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, account.UserName), new Claim(ClaimTypes.Role, account.Role),
                 new Claim("display_name", account.DisplayName), new Claim(StaffSessions.SessionClaim, sessionId)],
                CookieAuthenticationDefaults.AuthenticationScheme);
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            await audit.RecordAsync(account.UserName, "login", ct: ct);
            return Results.Ok(new { userName = account.UserName, displayName = account.DisplayName, role = account.Role });
        }).RequireRateLimiting(LoginLimiter).AllowAnonymous();

        group.MapPost("/logout", async (HttpContext http, BotDbContext db, AuditLog audit) =>
        {
            if (http.User.FindFirstValue(StaffSessions.SessionClaim) is { } sessionId) await StaffSessions.RevokeAsync(db, sessionId);
            await audit.RecordAsync(http.User, "logout");
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.NoContent();
        }).RequireAuthorization(Policy);

        group.MapGet("/me", (ClaimsPrincipal user) => Results.Ok(new
        {
            userName = user.Identity!.Name,
            role = user.FindFirstValue(ClaimTypes.Role),
        })).RequireAuthorization(Policy);
    }
}
