using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Bot.Channels.ZaloBot;

public enum ZaloBotMode { Off, Webhook, Polling }

/// <summary>The "ZaloBot" configuration section (Zalo Bot Platform), validated at start-up by <see cref="ZaloBotOptionsValidator"/>.</summary>
public sealed class ZaloBotOptions
{
    public const string Section = "ZaloBot";

    /// <summary>Webhook, Polling or Off; empty: Polling when a token is set, else Off.</summary>
    public string? Mode { get; set; }

    public string Token { get; set; } = "";
    public string ApiBaseUrl { get; set; } = "https://bot-api.zapps.me";

    /// <summary>Webhook mode: the bot's public https address; the webhook is {PublicUrl}/webhooks/zalo-bot.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Webhook mode: Zalo sends it in X-Bot-Api-Secret-Token with every event.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Messages per second the bot sends at most, replies and broadcasts together.</summary>
    public int MaxMessagesPerSecond { get; set; } = 10;

    /// <summary>Attempts per reply or staff reply, the first included, after a 5xx or a connection that never opened.</summary>
    public int MaxAttempts { get; set; } = 3;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Long-poll time-out in Polling mode, in seconds.</summary>
    public int PollTimeoutSeconds { get; set; } = 30;

    /// <summary>The mode in force; null when Mode names none.</summary>
    public ZaloBotMode? EffectiveMode =>
        string.IsNullOrWhiteSpace(Mode) ? string.IsNullOrWhiteSpace(Token) ? ZaloBotMode.Off : ZaloBotMode.Polling
        : Enum.TryParse<ZaloBotMode>(Mode, true, out var mode) && Enum.IsDefined(mode) ? mode : null;

    /// <summary>The section as configured, read once at composition (where the channel is switched on or off).</summary>
    public static ZaloBotOptions From(IConfiguration configuration) =>
        ValidatedOptions.Read<ZaloBotOptions>(configuration, Section);
}

public sealed partial class ZaloBotOptionsValidator : IValidateOptions<ZaloBotOptions>
{
    public const int MaxLongPollSeconds = 50;

    [GeneratedRegex("^[A-Za-z0-9:_-]{8,256}$")]
    private static partial Regex TokenShape();

    [GeneratedRegex("^[A-Za-z0-9_-]{8,256}$")]
    private static partial Regex SecretShape();

    public ValidateOptionsResult Validate(string? name, ZaloBotOptions o) =>
        Problem(o) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    private static string? Problem(ZaloBotOptions o)
    {
        var mode = o.EffectiveMode;
        if (mode is null) return $"ZaloBot:Mode: không hỗ trợ \"{o.Mode}\"; chỉ nhận Webhook, Polling hoặc Off.";
        if (mode == ZaloBotMode.Off) return null;
        if (string.IsNullOrWhiteSpace(o.Token)) return "ZaloBot:Token: chưa đặt mã bot Zalo (lấy trong Zalo Bot Manager sau khi tạo bot).";
        if (!TokenShape().IsMatch(o.Token)) return "ZaloBot:Token: mã bot Zalo không đúng dạng (chỉ gồm chữ, số, dấu :, _ và -).";
        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            return $"ZaloBot:ApiBaseUrl: địa chỉ Bot API phải là URL http(s) đầy đủ, ví dụ https://bot-api.zapps.me (đang là \"{o.ApiBaseUrl}\").";
        if (mode == ZaloBotMode.Webhook)
        {
            if (!Uri.TryCreate(o.PublicUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
                return "ZaloBot:PublicUrl: chế độ Webhook cần địa chỉ công khai https, ví dụ https://bot.xa-vinhphong.gov.vn.";
            if (!SecretShape().IsMatch(o.WebhookSecret ?? ""))
                return "ZaloBot:WebhookSecret: chế độ Webhook cần mã bí mật 8–256 ký tự gồm chữ, số, _ và -.";
        }
        if (o.MaxMessagesPerSecond <= 0) return $"ZaloBot:MaxMessagesPerSecond: phải là số dương (mặc định 10; đang là {o.MaxMessagesPerSecond}).";
        if (o.MaxAttempts < 1) return $"ZaloBot:MaxAttempts: phải từ 1 trở lên (đang là {o.MaxAttempts}).";
        if (o.PollTimeoutSeconds is < 0 or > MaxLongPollSeconds)
            return $"ZaloBot:PollTimeoutSeconds: phải từ 0 đến {MaxLongPollSeconds} (mặc định 30; đang là {o.PollTimeoutSeconds}).";
        if (o.RetryBaseDelay < TimeSpan.Zero || o.RequestTimeout <= TimeSpan.Zero)
            return "ZaloBot: RetryBaseDelay và RequestTimeout phải là khoảng thời gian dương (dạng 00:00:01).";
        return null;
    }
}
