namespace Bot.Admin;

/// <summary>The "Admin" section's session settings (Admin:ApiKeys is read by <see cref="AdminApiKeys"/>).</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>How long a staff sign-in lasts, however busy the session: it never slides.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    public static void Register(IServiceCollection services) =>
        services.AddOptions<AdminOptions>().BindConfiguration(Section)
            .Validate(o => o.SessionLifetime > TimeSpan.Zero && o.SessionLifetime <= TimeSpan.FromDays(7),
                "Admin:SessionLifetime phải lớn hơn 0 và không quá 7 ngày (mặc định 08:00:00).")
            .ValidateOnStart();
}
