using Bot.Admin;
using Bot.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Bot.Cli;

/// <summary>
/// `staff add USER [--name "Họ tên"] [--admin]` and `staff password USER` (password from standard input), `staff list`,
/// `staff disable USER`. Disabling and a new password end the account's sessions at once.
/// </summary>
public sealed class StaffVerb(IServiceProvider provider) : ICliVerb
{
    public string Name => "staff";
    public string Summary => "Quản lý tài khoản cán bộ: staff add TÊN [--name \"Họ tên\"] [--admin] (mật khẩu đọc từ bàn phím), staff password TÊN (đặt mật khẩu mới), staff list, staff disable TÊN.";

    public async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        await StorageSetup.PrepareDatabaseAsync(provider);
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();

        switch (args.FirstOrDefault())
        {
            case "list":
                foreach (var s in await db.StaffAccounts.OrderBy(s => s.UserName).ToListAsync())
                    output.WriteLine($"{s.UserName}\t{s.DisplayName}\t{s.Role}{(s.Disabled ? "\t(đã khoá)" : "")}");
                return 0;
            case "add" when args.Length >= 2:
                var userName = args[1].Trim();
                if (await db.StaffAccounts.AnyAsync(s => s.UserName == userName))
                {
                    error.WriteLine($"Tài khoản \"{userName}\" đã có.");
                    return 1;
                }
                if (ReadPassword(input, output, error) is not { } password) return 1;
                var account = new StaffAccount
                {
                    UserName = userName,
                    DisplayName = Option(args, "--name") ?? userName,
                    PasswordHash = "",
                    Role = args.Contains("--admin") ? StaffRoles.Admin : StaffRoles.Staff,
                    CreatedAt = DateTimeOffset.UtcNow,
                };
                account.PasswordHash = new PasswordHasher<StaffAccount>().HashPassword(account, password);
                db.StaffAccounts.Add(account);
                await db.SaveChangesAsync();
                await audit.RecordAsync("cli", "staff-add", userName, account.Role);
                output.WriteLine($"Đã tạo tài khoản {userName} ({account.Role}).");
                return 0;
            case "disable" when args.Length >= 2:
                var target = await db.StaffAccounts.FirstOrDefaultAsync(s => s.UserName == args[1]);
                if (target is null)
                {
                    error.WriteLine($"Không có tài khoản \"{args[1]}\".");
                    return 1;
                }
                target.Disabled = true;
                await db.SaveChangesAsync();
                await StaffSessions.RevokeAllAsync(db, target.Id);
                await audit.RecordAsync("cli", "staff-disable", target.UserName);
                output.WriteLine($"Đã khoá tài khoản {target.UserName}.");
                return 0;
            case "password" when args.Length >= 2:
                var holder = await db.StaffAccounts.FirstOrDefaultAsync(s => s.UserName == args[1]);
                if (holder is null)
                {
                    error.WriteLine($"Không có tài khoản \"{args[1]}\".");
                    return 1;
                }
                if (ReadPassword(input, output, error) is not { } newPassword) return 1;
                holder.PasswordHash = new PasswordHasher<StaffAccount>().HashPassword(holder, newPassword);
                await db.SaveChangesAsync();
                var ended = await StaffSessions.RevokeAllAsync(db, holder.Id);
                await audit.RecordAsync("cli", "staff-password", holder.UserName, $"sessions-ended={ended}");
                output.WriteLine($"Đã đặt mật khẩu mới cho {holder.UserName}; các phiên đăng nhập cũ đã kết thúc.");
                return 0;
            default:
                error.WriteLine(Summary);
                return 2;
        }
    }

    private static string? ReadPassword(TextReader input, TextWriter output, TextWriter error)
    {
        output.Write($"Mật khẩu (ít nhất {Admin.Accounts.AccountEndpoints.MinPasswordLength} ký tự): ");
        var password = input.ReadLine()?.Trim() ?? "";
        output.WriteLine();
        if (password.Length >= Admin.Accounts.AccountEndpoints.MinPasswordLength) return password;
        error.WriteLine($"Mật khẩu cần ít nhất {Admin.Accounts.AccountEndpoints.MinPasswordLength} ký tự.");
        return null;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
