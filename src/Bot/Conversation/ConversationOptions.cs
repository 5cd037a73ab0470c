using Microsoft.Extensions.Options;

namespace Bot.Conversation;

/// <summary>The "Conversation" section: the per-resident flood limit on every channel.</summary>
public sealed class ConversationOptions
{
    public const string Section = "Conversation";

    /// <summary>Messages one resident may send in one window before the rest wait.</summary>
    public int MaxMessagesPerMinute { get; set; } = 20;

    /// <summary>The window the limit counts over (one minute; tests shorten it).</summary>
    public TimeSpan FloodWindow { get; set; } = TimeSpan.FromMinutes(1);
}

public sealed class ConversationOptionsValidator : IValidateOptions<ConversationOptions>
{
    public ValidateOptionsResult Validate(string? name, ConversationOptions o) =>
        o.MaxMessagesPerMinute is < 1 or > 10_000
            ? ValidateOptionsResult.Fail($"Conversation:MaxMessagesPerMinute: phải từ 1 đến 10.000 (mặc định 20; đang là {o.MaxMessagesPerMinute}).")
        : o.FloodWindow <= TimeSpan.Zero || o.FloodWindow > TimeSpan.FromHours(1)
            ? ValidateOptionsResult.Fail($"Conversation:FloodWindow: phải lớn hơn 0 và không quá 1 giờ (mặc định 00:01:00; đang là {o.FloodWindow}).")
        : ValidateOptionsResult.Success;
}
