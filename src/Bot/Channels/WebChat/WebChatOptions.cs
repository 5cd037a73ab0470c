namespace Bot.Channels.WebChat;

/// <summary>The "WebChat" section: how many requests a minute one visitor may send.</summary>
public sealed class WebChatOptions
{
    public const string Section = "WebChat";

    /// <summary>Per client address (the real one behind a known proxy, see Http:KnownProxies).</summary>
    public int MaxRequestsPerMinutePerIp { get; set; } = 60;

    /// <summary>Per web chat session (the server-issued cookie).</summary>
    public int MaxRequestsPerMinutePerSession { get; set; } = 20;

    public static void Register(IServiceCollection services) =>
        services.AddOptions<WebChatOptions>().BindConfiguration(Section)
            .Validate(o => o.MaxRequestsPerMinutePerIp is >= 1 and <= 100_000,
                "WebChat:MaxRequestsPerMinutePerIp phải từ 1 đến 100000 (mặc định 60).")
            .Validate(o => o.MaxRequestsPerMinutePerSession is >= 1 and <= 100_000,
                "WebChat:MaxRequestsPerMinutePerSession phải từ 1 đến 100000 (mặc định 20).")
            .ValidateOnStart();
}
