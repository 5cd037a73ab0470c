using Microsoft.Extensions.Options;

namespace Bot.Channels.WebChat;

/// <summary>The "WebChat" section: how many requests a minute one visitor may send.</summary>
public sealed class WebChatOptions
{
    public const string Section = "WebChat";

    /// <summary>Per client address (the real one behind a known proxy, see Http:KnownProxies).</summary>
    public int MaxRequestsPerMinutePerIp { get; set; } = 60;

    /// <summary>Per web chat session (the server-issued cookie).</summary>
    public int MaxRequestsPerMinutePerSession { get; set; } = 20;
}

public sealed class WebChatOptionsValidator : IValidateOptions<WebChatOptions>
{
    public ValidateOptionsResult Validate(string? name, WebChatOptions o) =>
        o.MaxRequestsPerMinutePerIp is < 1 or > 100_000
            ? ValidateOptionsResult.Fail($"WebChat:MaxRequestsPerMinutePerIp: phải từ 1 đến 100000 (mặc định 60; đang là {o.MaxRequestsPerMinutePerIp}).")
        : o.MaxRequestsPerMinutePerSession is < 1 or > 100_000
            ? ValidateOptionsResult.Fail($"WebChat:MaxRequestsPerMinutePerSession: phải từ 1 đến 100000 (mặc định 20; đang là {o.MaxRequestsPerMinutePerSession}).")
        : ValidateOptionsResult.Success;
}
