using Microsoft.Extensions.DependencyInjection.Extensions;
using Telegram.Bot;

namespace Bot.Channels.Telegram;

public static class TelegramSetup
{
    private const string HttpClientName = "telegram";

    /// <summary>
    /// Registers the validated <see cref="TelegramOptions"/>, Telegram.Bot's client on our own HttpClient,
    /// <see cref="TelegramBotApi"/> (our send policy over it) and the shared <see cref="TelegramRateGate"/>. Call it only
    /// when Telegram is switched on: a missing or malformed Telegram:BotToken stops start-up.
    /// </summary>
    public static IServiceCollection AddTelegramBotApi(this IServiceCollection services)
    {
        services.AddValidatedOptions<TelegramOptions, TelegramOptionsValidator>(TelegramOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TelegramRateGate>();
        services.AddHttpClient(HttpClientName, (sp, http) =>
                // Each call has its own, shorter limit; this one only has to let the longest long poll through.
                http.Timeout = TimeSpan.FromSeconds(TelegramBotApi.MaxLongPollSeconds) + sp.GetRequiredService<TelegramOptions>().RequestTimeout
                               + TimeSpan.FromSeconds(5))
            // Long-lived senders (the poller, the broadcaster) keep their client: recycle connections instead of handlers.
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // The default HttpClient loggers write request URLs, and Bot API URLs hold the token.
            .RemoveAllLoggers();
        services.AddSingleton<ITelegramBotClient>(sp =>
        {
            var options = sp.GetRequiredService<TelegramOptions>();
            // RetryThreshold 0: a 429 comes back to us, where the rate gate pauses every sender, not just this call.
            return new TelegramBotClient(new TelegramBotClientOptions(options.BotToken, options.ApiBaseUrl) { RetryThreshold = 0 },
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName));
        });
        services.AddSingleton<TelegramBotApi>();
        return services;
    }
}
