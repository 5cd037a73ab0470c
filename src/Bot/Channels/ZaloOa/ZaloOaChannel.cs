using Bot.Broadcasts;
using Bot.Conversation;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Channels.ZaloOa;

/// <summary>Switches the Zalo OA channel on when its credentials are set.</summary>
public static class ZaloOaChannel
{
    private const string HttpClientName = "zalo-oa";

    public static IServiceCollection Register(IServiceCollection services, IConfiguration configuration)
    {
        if (!ZaloOaOptions.From(configuration).Enabled) return services;
        services.AddValidatedOptions<ZaloOaOptions, ZaloOaOptionsValidator>(ZaloOaOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        // The default HttpClient loggers would write headers' neighbours and URLs; the access token stays out of logs.
        services.AddHttpClient(HttpClientName).RemoveAllLoggers();
        // One client for the process: the send rate it keeps is the OA's.
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ZaloOaApi>(sp, sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName)));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ZaloOaTokens>(sp, sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName)));
        services.AddSingleton<ZaloOaWindow>();
        services.AddSingleton<ZaloOaSender>();
        services.AddSingleton<IBroadcastChannel, ZaloOaBroadcastChannel>();
        services.AddSingleton<IChannelSender>(sp => sp.GetRequiredService<ZaloOaSender>());
        services.AddSingleton<IInboundUpdateHandler, ZaloOaUpdateHandler>();
        services.AddHostedService<ZaloOaTokenWatch>();
        return services;
    }
}
