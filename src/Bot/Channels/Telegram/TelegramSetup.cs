using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Channels.Telegram;

public static class TelegramSetup
{
    /// <summary>
    /// Registers <see cref="TelegramBotApi"/> (typed HttpClient) and the shared <see cref="TelegramRateGate"/>.
    /// Call it only when Telegram is switched on: a missing or malformed Telegram:BotToken stops start-up.
    /// </summary>
    public static IServiceCollection AddTelegramBotApi(this IServiceCollection services, IConfiguration configuration)
    {
        var options = TelegramOptions.From(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton<TelegramRateGate>();
        services.AddHttpClient<TelegramBotApi>(http =>
            {
                http.BaseAddress = options.MethodBaseUri;
                // Each call has its own, shorter limit; this one only has to let the longest long poll through.
                http.Timeout = TimeSpan.FromSeconds(TelegramBotApi.MaxLongPollSeconds) + options.RequestTimeout + TimeSpan.FromSeconds(5);
            })
            // Long-lived senders (the poller, the broadcaster) keep their client: recycle connections instead of handlers.
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // The default HttpClient loggers write request URLs, and Bot API URLs hold the token.
            .RemoveAllLoggers();
        return services;
    }
}
