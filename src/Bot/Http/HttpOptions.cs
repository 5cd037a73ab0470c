using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Bot.Http;

/// <summary>The "Http" section: the reverse proxies whose X-Forwarded-For/-Proto headers are believed.</summary>
public sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>IP addresses of the reverse proxies in front of the bot; none (the default) means no forwarded header is believed.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Binds the section and believes forwarded headers from the configured proxies only.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddValidatedOptions<HttpOptions, HttpOptionsValidator>(Section);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<HttpOptions>>((o, http) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured proxies: not the framework's default loopback, which would let a forged header
            // from this machine count. (With both lists empty the middleware would trust everyone: see Use.)
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the obsolete list is still consulted and holds 127.0.0.0/8 by default
            o.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in http.Value.KnownProxies) o.KnownProxies.Add(IPAddress.Parse(proxy));
        });
    }

    /// <summary>Forwarded headers are read only when proxies are configured.</summary>
    public static void Use(WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<HttpOptions>>().Value.KnownProxies.Length > 0) app.UseForwardedHeaders();
    }
}

public sealed class HttpOptionsValidator : IValidateOptions<HttpOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpOptions options) =>
        options.KnownProxies.FirstOrDefault(p => !IPAddress.TryParse(p, out _)) is { } bad
            ? ValidateOptionsResult.Fail($"Http:KnownProxies: \"{bad}\" không phải địa chỉ IP (ví dụ 10.0.0.5 hoặc ::1).")
            : ValidateOptionsResult.Success;
}
