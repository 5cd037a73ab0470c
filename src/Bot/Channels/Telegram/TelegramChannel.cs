using System.Text.Json;
using System.Text.RegularExpressions;
using Bot.Broadcasts;
using Bot.Conversation;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Bot.Channels.Telegram;

public enum TelegramMode { Off, Webhook, Polling }

/// <summary>Switches Telegram on according to Telegram:Mode: registers the webhook, or long-polls getUpdates into the inbox.</summary>
public sealed partial class TelegramChannel(TelegramBotApi api, InboundUpdates inbox, IConfiguration configuration, ILogger<TelegramChannel> logger)
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

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex SecretPattern();

    public static TelegramMode ModeFrom(IConfiguration configuration)
    {
        var text = configuration["Telegram:Mode"];
        if (string.IsNullOrWhiteSpace(text))
            return string.IsNullOrWhiteSpace(configuration["Telegram:BotToken"]) ? TelegramMode.Off : TelegramMode.Polling;
        if (!Enum.TryParse<TelegramMode>(text, true, out var mode) || !Enum.IsDefined(mode))
            throw new StartupException("Telegram:Mode", $"không hỗ trợ \"{text}\"; chỉ nhận Webhook, Polling hoặc Off.");
        if (mode == TelegramMode.Webhook)
        {
            if (!Uri.TryCreate(configuration["Telegram:PublicUrl"], UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
                throw new StartupException("Telegram:PublicUrl", "chế độ Webhook cần địa chỉ công khai https, ví dụ https://bot.xa-vinhphong.gov.vn.");
            if (!SecretPattern().IsMatch(configuration["Telegram:WebhookSecret"] ?? ""))
                throw new StartupException("Telegram:WebhookSecret", "chế độ Webhook cần mã bí mật 1–256 ký tự gồm chữ, số, _ và -.");
        }
        return mode;
    }

    public static IServiceCollection Register(IServiceCollection services, IConfiguration configuration)
    {
        if (ModeFrom(configuration) == TelegramMode.Off) return services;
        services.AddTelegramBotApi(configuration);
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
        var mode = ModeFrom(configuration);
        try
        {
            await api.SetMyCommandsAsync(Commands, stoppingToken);
            if (mode == TelegramMode.Webhook)
            {
                var url = configuration["Telegram:PublicUrl"]!.TrimEnd('/') + "/webhooks/telegram";
                await api.SetWebhookAsync(url, configuration["Telegram:WebhookSecret"], AllowedUpdates, ct: stoppingToken);
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
        var pollSeconds = configuration.GetValue("Telegram:PollTimeoutSeconds", 30);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var asked = DateTimeOffset.UtcNow;
                var updates = await api.GetUpdatesAsync(offset, pollSeconds, AllowedUpdates, ct);
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
