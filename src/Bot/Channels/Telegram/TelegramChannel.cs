using System.Text.Json;
using Bot.Broadcasts;
using Bot.Conversation;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Bot.Channels.Telegram;

/// <summary>Switches Telegram on according to Telegram:Mode: registers the webhook, or long-polls getUpdates into the inbox.</summary>
public sealed class TelegramChannel(TelegramBotApi api, InboundUpdates inbox, TelegramOptions options, ILogger<TelegramChannel> logger)
    : BackgroundService
{
    private static readonly TimeSpan EmptyPollPause = TimeSpan.FromMilliseconds(500);
    private static readonly UpdateType[] AllowedUpdates = [UpdateType.Message, UpdateType.CallbackQuery, UpdateType.MyChatMember];
    private static readonly BotCommand[] Commands =
    [
        Command("start", "Bắt đầu, chọn chủ đề"),
        Command("menu", "Các chủ đề hỏi đáp"),
        Command("help", "Cách hỏi"),
        Command("lienhe", "Liên hệ cán bộ xã, Tổ công nghệ số"),
        Command("subscribe", "Nhận tin nhắc việc, cảnh báo lừa đảo"),
        Command("unsubscribe", "Thôi nhận tin"),
    ];

    private static BotCommand Command(string command, string description) => new() { Command = command, Description = description };

    public static IServiceCollection Register(IServiceCollection services, IConfiguration configuration)
    {
        // Read here to decide what to register; a Mode that names nothing registers, and validation stops start-up by name.
        if (TelegramOptions.From(configuration).EffectiveMode == TelegramMode.Off) return services;
        services.AddTelegramBotApi();
        services.AddSingleton<TelegramBotProfile>();
        services.AddSingleton<TelegramSender>();
        services.AddSingleton<IChannelSender>(sp => sp.GetRequiredService<TelegramSender>());
        services.AddSingleton<IBroadcastChannel, TelegramBroadcastChannel>();
        services.AddSingleton<TelegramUpdateHandler>();
        services.AddSingleton<IInboundUpdateHandler>(sp => sp.GetRequiredService<TelegramUpdateHandler>());
        services.AddHostedService<TelegramChannel>();
        return services;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var mode = options.EffectiveMode;
        try
        {
            await api.SetMyCommandsAsync(Commands, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The command menu is a convenience: without it residents still type /start, so receiving goes on.
            logger.LogWarning("Telegram command menu not set: {Error}", e.Message);
        }
        try
        {
            if (mode == TelegramMode.Webhook)
            {
                var url = options.PublicUrl!.TrimEnd('/') + "/webhooks/telegram";
                await api.SetWebhookAsync(url, options.WebhookSecret, AllowedUpdates, options.WebhookMaxConnections, ct: stoppingToken);
                logger.LogInformation("Telegram webhook registered at {Url}", url);
                return;
            }
            await api.DeleteWebhookAsync(ct: stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError("Telegram set-up failed: {Error}", e.Message);
            if (mode == TelegramMode.Webhook) return;
        }
        await PollAsync(stoppingToken);
    }

    private async Task PollAsync(CancellationToken ct)
    {
        logger.LogInformation("Telegram long polling started");
        int? offset = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var asked = DateTimeOffset.UtcNow;
                var updates = await api.GetUpdatesAsync(offset, options.PollTimeoutSeconds, AllowedUpdates, ct);
                // A server that answers an empty poll at once (ignoring the long-poll time-out) is not asked in a tight loop.
                var early = EmptyPollPause - (DateTimeOffset.UtcNow - asked);
                if (updates.Length == 0 && early > TimeSpan.Zero) await Task.Delay(early, ct);
                foreach (var update in updates)
                {
                    // Stored before the next getUpdates confirms it (offset), so a crash in between loses nothing.
                    await inbox.AcceptAsync(ChannelIds.Telegram, update.Id.ToString(), JsonSerializer.Serialize(update, JsonBotAPI.Options),
                        TelegramWebhook.OrderingKey(update));
                    offset = update.Id + 1;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            catch (Exception e)
            {
                logger.LogWarning("Telegram getUpdates failed: {Error}", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(3), ct).ContinueWith(_ => { });
            }
        }
    }
}
