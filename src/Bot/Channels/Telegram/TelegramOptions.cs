using System.Text.RegularExpressions;

namespace Bot.Channels.Telegram;

/// <summary>The "Telegram" configuration section as far as the Bot API client needs it.</summary>
public sealed partial class TelegramOptions
{
    public string BotToken { get; set; } = "";
    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";
    public int MaxMessagesPerSecond { get; set; } = 30;

    /// <summary>Minimum gap between two broadcast messages to the same chat (Telegram allows about one per second).</summary>
    public TimeSpan PerChatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts per call, the first included, for the failures a call may retry.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Back-off before the second attempt after a 5xx or a time-out; doubles for each further attempt.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Time limit of one call; getUpdates gets its long-poll time-out on top.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    [GeneratedRegex(@"^\d+:[A-Za-z0-9_-]+$")]
    private static partial Regex TokenShape();

    public static TelegramOptions From(IConfiguration configuration)
    {
        var options = new TelegramOptions();
        configuration.GetSection("Telegram").Bind(options);
        options.Validate();
        return options;
    }

    private void Validate()
    {
        if (string.IsNullOrWhiteSpace(BotToken))
            throw new StartupException("Telegram:BotToken", "chưa đặt mã bot Telegram (lấy từ @BotFather).");
        if (!TokenShape().IsMatch(BotToken))
            throw new StartupException("Telegram:BotToken", "mã bot Telegram không đúng dạng <số>:<chuỗi ký tự> do @BotFather cấp.");
        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            throw new StartupException("Telegram:ApiBaseUrl", $"địa chỉ Bot API phải là URL http(s) đầy đủ, ví dụ https://api.telegram.org (đang là \"{ApiBaseUrl}\").");
        if (MaxMessagesPerSecond <= 0)
            throw new StartupException("Telegram:MaxMessagesPerSecond", $"phải là số dương (mặc định 30; đang là {MaxMessagesPerSecond}).");
        if (MaxAttempts < 1)
            throw new StartupException("Telegram:MaxAttempts", $"phải từ 1 trở lên (đang là {MaxAttempts}).");
        if (PerChatInterval < TimeSpan.Zero || RetryBaseDelay < TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero)
            throw new StartupException("Telegram", "PerChatInterval, RetryBaseDelay và RequestTimeout phải là khoảng thời gian dương (dạng 00:00:01).");
    }
}
