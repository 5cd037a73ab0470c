using System.Text.Json;
using Bot.Broadcasts;
using Bot.Conversation;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Channels.ZaloBot;

/// <summary>Switches the Zalo Bot Platform channel on according to ZaloBot:Mode: registers the webhook, or long-polls getUpdates into the inbox.</summary>
public sealed class ZaloBotChannel(ZaloBotApi api, InboundUpdates inbox, ZaloBotOptions options, ILogger<ZaloBotChannel> logger) : BackgroundService
{
    private const string HttpClientName = "zalo-bot";
    private static readonly TimeSpan EmptyPollPause = TimeSpan.FromMilliseconds(500);

    public static IServiceCollection Register(IServiceCollection services, IConfiguration configuration)
    {
        // Read here to decide what to register; a Mode that names nothing registers, and validation stops start-up by name.
        if (ZaloBotOptions.From(configuration).EffectiveMode == ZaloBotMode.Off) return services;
        services.AddValidatedOptions<ZaloBotOptions, ZaloBotOptionsValidator>(ZaloBotOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(HttpClientName, (sp, http) =>
                http.Timeout = TimeSpan.FromSeconds(ZaloBotOptionsValidator.MaxLongPollSeconds) + sp.GetRequiredService<ZaloBotOptions>().RequestTimeout
                               + TimeSpan.FromSeconds(5))
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // The default HttpClient loggers write request URLs, and Bot API URLs hold the token.
            .RemoveAllLoggers();
        // One client for the process: the send rate it keeps is the bot's.
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ZaloBotApi>(sp, sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName)));
        services.AddSingleton<ZaloBotSender>();
        services.AddSingleton<IChannelSender>(sp => sp.GetRequiredService<ZaloBotSender>());
        services.AddSingleton<IBroadcastChannel, ZaloBotBroadcastChannel>();
        services.AddSingleton<IInboundUpdateHandler, ZaloBotUpdateHandler>();
        services.AddHostedService<ZaloBotChannel>();
        return services;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var mode = options.EffectiveMode;
        try
        {
            if (mode == ZaloBotMode.Webhook)
            {
                var url = options.PublicUrl!.TrimEnd('/') + ZaloBotWebhook.Path;
                await api.SetWebhookAsync(url, options.WebhookSecret!, stoppingToken);
                logger.LogInformation("Zalo Bot webhook registered at {Url}", url);
                return;
            }
            // getUpdates and a webhook exclude each other on the Zalo Bot Platform.
            await api.DeleteWebhookAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError("Zalo Bot set-up failed: {Error}", e.Message);
            if (mode == ZaloBotMode.Webhook) return;
        }
        await PollAsync(stoppingToken);
    }

    private async Task PollAsync(CancellationToken ct)
    {
        logger.LogInformation("Zalo Bot long polling started");
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var asked = DateTimeOffset.UtcNow;
                var updates = await api.GetUpdatesAsync(options.PollTimeoutSeconds, ct);
                // A server that answers an empty poll at once is not asked in a tight loop.
                var early = EmptyPollPause - (DateTimeOffset.UtcNow - asked);
                if (updates.Count == 0 && early > TimeSpan.Zero) await Task.Delay(early, ct);
                foreach (var update in updates)
                {
                    if (update.Id is not { } id) continue;
                    await inbox.AcceptAsync(ChannelIds.ZaloBot, id, JsonSerializer.Serialize(update, ZaloBotUpdate.Json), update.OrderingKey);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            catch (Exception e)
            {
                logger.LogWarning("Zalo Bot getUpdates failed: {Error}", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(3), ct).ContinueWith(_ => { });
            }
        }
    }
}
