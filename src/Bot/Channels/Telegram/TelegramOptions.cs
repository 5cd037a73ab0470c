using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Bot.Channels.Telegram;

public enum TelegramMode { Off, Webhook, Polling }

/// <summary>The "Telegram" configuration section, validated at start-up by <see cref="TelegramOptionsValidator"/>.</summary>
public sealed class TelegramOptions
{
    public const string Section = "Telegram";

    /// <summary>Webhook, Polling or Off; empty: Polling when a token is set, else Off.</summary>
    public string? Mode { get; set; }

    public string BotToken { get; set; } = "";
    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    /// <summary>Webhook mode: the bot's public https address; the webhook is {PublicUrl}/webhooks/telegram.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Webhook mode: Telegram sends it in X-Telegram-Bot-Api-Secret-Token with every update.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>
    /// Webhook mode: at most this many updates Telegram delivers at once (setWebhook's max_connections, 1–100). 40 is
    /// Telegram's own default and what the webhook benchmark measures; raise it only with a measurement.
    /// </summary>
    public int WebhookMaxConnections { get; set; } = 40;

    public int MaxMessagesPerSecond { get; set; } = 30;

    /// <summary>Minimum gap between two broadcast messages to the same chat (Telegram allows about one per second).</summary>
    public TimeSpan PerChatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts per call, the first included, for the failures a call may retry.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Back-off before the second attempt after a 5xx or a time-out; doubles for each further attempt.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Time limit of one call; getUpdates gets its long-poll time-out on top.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Long-poll time-out in Polling mode, in seconds.</summary>
    public int PollTimeoutSeconds { get; set; } = 30;

    /// <summary>"typing…" is shown only when an answer takes longer than this, in milliseconds.</summary>
    public int TypingDelayMs { get; set; } = 300;

    /// <summary>The mode in force; null when Mode names none.</summary>
    public TelegramMode? EffectiveMode =>
        string.IsNullOrWhiteSpace(Mode) ? string.IsNullOrWhiteSpace(BotToken) ? TelegramMode.Off : TelegramMode.Polling
        : Enum.TryParse<TelegramMode>(Mode, true, out var mode) && Enum.IsDefined(mode) ? mode : null;

    /// <summary>The section as configured, read once at composition (where Telegram is switched on or off).</summary>
    public static TelegramOptions From(IConfiguration configuration) =>
        ValidatedOptions.Read<TelegramOptions>(configuration, Section);
}

public sealed partial class TelegramOptionsValidator : IValidateOptions<TelegramOptions>
{
    [GeneratedRegex(@"^\d+:[A-Za-z0-9_-]+$")]
    private static partial Regex TokenShape();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex SecretShape();

    public ValidateOptionsResult Validate(string? name, TelegramOptions o) =>
        Problem(o) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    private static string? Problem(TelegramOptions o)
    {
        var mode = o.EffectiveMode;
        if (mode is null) return $"Telegram:Mode: không hỗ trợ \"{o.Mode}\"; chỉ nhận Webhook, Polling hoặc Off.";
        if (mode == TelegramMode.Off) return null;
        if (string.IsNullOrWhiteSpace(o.BotToken)) return "Telegram:BotToken: chưa đặt mã bot Telegram (lấy từ @BotFather).";
        if (!TokenShape().IsMatch(o.BotToken)) return "Telegram:BotToken: mã bot Telegram không đúng dạng <số>:<chuỗi ký tự> do @BotFather cấp.";
        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            return $"Telegram:ApiBaseUrl: địa chỉ Bot API phải là URL http(s) đầy đủ, ví dụ https://api.telegram.org (đang là \"{o.ApiBaseUrl}\").";
        if (mode == TelegramMode.Webhook)
        {
            if (!Uri.TryCreate(o.PublicUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
                return "Telegram:PublicUrl: chế độ Webhook cần địa chỉ công khai https, ví dụ https://bot.xa-vinhphong.gov.vn.";
            if (!SecretShape().IsMatch(o.WebhookSecret ?? ""))
                return "Telegram:WebhookSecret: chế độ Webhook cần mã bí mật 1–256 ký tự gồm chữ, số, _ và -.";
        }
        if (o.WebhookMaxConnections is < 1 or > 100)
            return $"Telegram:WebhookMaxConnections: phải từ 1 đến 100 (mặc định 40; đang là {o.WebhookMaxConnections}).";
        if (o.MaxMessagesPerSecond <= 0) return $"Telegram:MaxMessagesPerSecond: phải là số dương (mặc định 30; đang là {o.MaxMessagesPerSecond}).";
        if (o.MaxAttempts < 1) return $"Telegram:MaxAttempts: phải từ 1 trở lên (đang là {o.MaxAttempts}).";
        if (o.PollTimeoutSeconds is < 0 or > TelegramBotApi.MaxLongPollSeconds)
            return $"Telegram:PollTimeoutSeconds: phải từ 0 đến {TelegramBotApi.MaxLongPollSeconds} (mặc định 30; đang là {o.PollTimeoutSeconds}).";
        if (o.TypingDelayMs < 0) return $"Telegram:TypingDelayMs: không được âm (mặc định 300; đang là {o.TypingDelayMs}).";
        if (o.PerChatInterval < TimeSpan.Zero || o.RetryBaseDelay < TimeSpan.Zero || o.RequestTimeout <= TimeSpan.Zero)
            return "Telegram: PerChatInterval, RetryBaseDelay và RequestTimeout phải là khoảng thời gian dương (dạng 00:00:01).";
        return null;
    }
}
