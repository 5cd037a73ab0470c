using Microsoft.Extensions.Options;

namespace Bot.Admin;

/// <summary>The "Admin" section: staff sessions and API keys, validated at start-up by <see cref="AdminOptionsValidator"/>.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";
    public const int MinApiKeyLength = 16;

    /// <summary>How long a staff sign-in lasts, however busy the session: it never slides.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Keys accepted as `Authorization: Bearer KEY` (see <see cref="AdminApiKeys"/>), read by <see cref="AdminOptionsSetup"/>.</summary>
    public List<string> ApiKeys { get; set; } = [];
}

public static class AdminOptionsSetup
{
    /// <summary>
    /// The Admin section, its keys read from Admin:ApiKeys as an array (Admin:ApiKeys:0, Admin__ApiKeys__0) or as one
    /// value with the keys separated by commas or semicolons (one environment variable). The array wins: appsettings.json
    /// writes "ApiKeys": [], which reads as an empty value beside the array given on the command line or in the environment.
    /// </summary>
    public static IServiceCollection AddAdminOptions(this IServiceCollection services)
    {
        services.AddValidatedOptions<AdminOptions, AdminOptionsValidator>(AdminOptions.Section);
        services.AddOptions<AdminOptions>().Configure<IConfiguration>((o, configuration) =>
        {
            var keys = configuration.GetSection($"{AdminOptions.Section}:{nameof(AdminOptions.ApiKeys)}");
            var items = keys.GetChildren().Select(c => c.Value).OfType<string>().ToList();
            o.ApiKeys = items.Count > 0 ? items : [.. (keys.Value ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        });
        return services;
    }
}

public sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions o)
    {
        if (o.SessionLifetime <= TimeSpan.Zero || o.SessionLifetime > TimeSpan.FromDays(7))
            return ValidateOptionsResult.Fail($"Admin:SessionLifetime: phải lớn hơn 0 và không quá 7 ngày (mặc định 08:00:00; đang là {o.SessionLifetime}).");
        // The key itself is a secret: only its position and length are named.
        var shortKey = o.ApiKeys.Select((key, i) => (Key: key, Number: i + 1)).FirstOrDefault(k => k.Key.Length is > 0 and < AdminOptions.MinApiKeyLength);
        if (shortKey.Key is not null)
            return ValidateOptionsResult.Fail(
                $"Admin:ApiKeys: mỗi khoá API cần ít nhất {AdminOptions.MinApiKeyLength} ký tự (khoá thứ {shortKey.Number} chỉ có {shortKey.Key.Length}).");
        return ValidateOptionsResult.Success;
    }
}
