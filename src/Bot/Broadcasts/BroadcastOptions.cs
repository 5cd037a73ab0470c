using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Bot.Broadcasts;

/// <summary>The "Broadcasts" configuration section, validated at start-up by <see cref="BroadcastOptionsValidator"/>.</summary>
public sealed class BroadcastOptions
{
    public const string Section = "Broadcasts";

    /// <summary>Longest text staff may write: with the footer it still fits one Telegram message (4,096 characters).</summary>
    public const int MaxTextLength = 3500;

    private QuietHours? _quietHours;
    private IReadOnlyList<long>? _testChatIds;

    /// <summary>Broadcasts:QuietHours as written: "21:00-07:00" by default, "" for none.</summary>
    [ConfigurationKeyName("QuietHours")]
    public string QuietHoursSetting { get; set; } = Broadcasts.QuietHours.Default;

    /// <summary>Broadcasts:TestChatIds as written: Telegram chat ids of staff, comma-separated.</summary>
    [ConfigurationKeyName("TestChatIds")]
    public string TestChatIdsSetting { get; set; } = "";

    /// <summary>Concurrent senders per node.</summary>
    public int Senders { get; set; } = 32;

    /// <summary>Outbox rows a node claims at a time.</summary>
    public int ClaimBatch { get; set; } = 256;

    public QuietHours QuietHours => _quietHours ??= QuietHours.Parse(QuietHoursSetting);

    public IReadOnlyList<long> TestChatIds => _testChatIds ??= ChatIds(TestChatIdsSetting).Select(long.Parse).ToList();

    internal static string[] ChatIds(string setting) => setting.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public sealed class BroadcastOptionsValidator : IValidateOptions<BroadcastOptions>
{
    public ValidateOptionsResult Validate(string? name, BroadcastOptions o) =>
        Problem(o) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    private static string? Problem(BroadcastOptions o)
    {
        try
        {
            _ = QuietHours.Parse(o.QuietHoursSetting);
        }
        catch (StartupException e)
        {
            return e.Message;
        }
        if (BroadcastOptions.ChatIds(o.TestChatIdsSetting).FirstOrDefault(part => !long.TryParse(part, out _)) is { } bad)
            return $"Broadcasts:TestChatIds: là danh sách mã chat Telegram (số), cách nhau bằng dấu phẩy; \"{bad}\" không phải số.";
        if (o.Senders is < 1 or > 512) return $"Broadcasts:Senders: phải từ 1 đến 512 (mặc định 32; đang là {o.Senders}).";
        if (o.ClaimBatch is < 1 or > 10_000) return $"Broadcasts:ClaimBatch: phải từ 1 đến 10000 (mặc định 256; đang là {o.ClaimBatch}).";
        return null;
    }
}
