using System.Text;
using Bot.Channels.Telegram;
using Bot.Conversation;

namespace Bot.Channels.ZaloBot;

/// <summary>
/// Zalo Bot messages are plain text without buttons: the buttons become a numbered list ("Gõ 1, 2 hoặc 3 để chọn")
/// and their data is what a bare number then stands for. Long texts are split at Zalo's limit.
/// </summary>
public static class ZaloBotRenderer
{
    public sealed record Rendered(IReadOnlyList<string> Parts, IReadOnlyList<string> Choices);

    public static Rendered Render(OutgoingMessage message)
    {
        var buttons = message.Buttons.SelectMany(row => row).ToList();
        var text = new StringBuilder(Plain(message.Text));
        if (buttons.Count > 0)
        {
            text.Append("\n\n");
            for (var i = 0; i < buttons.Count; i++) text.Append($"{i + 1}. {buttons[i].Label}\n");
            text.Append(Prompt(buttons.Count));
        }
        return new Rendered(TelegramText.Split(text.ToString(), ZaloBotApi.MaxMessageLength), buttons.Select(b => b.Data).ToList());
    }

    /// <summary>Broadcast texts and staff replies: plain, no choices.</summary>
    public static string Plain(string text) => text.Replace("**", "");

    private static string Prompt(int count) => count switch
    {
        1 => "Gõ 1 để chọn.",
        2 => "Gõ 1 hoặc 2 để chọn.",
        3 => "Gõ 1, 2 hoặc 3 để chọn.",
        _ => $"Gõ một số từ 1 đến {count} để chọn.",
    };

    /// <summary>The choices stored for a resident: one button data per line.</summary>
    public static string? Store(IReadOnlyList<string> choices) => choices.Count == 0 ? null : string.Join('\n', choices);

    /// <summary>The data behind number (1-based) among the stored choices, or null.</summary>
    public static string? Choice(string? stored, int number) =>
        stored?.Split('\n') is { } choices && number >= 1 && number <= choices.Length ? choices[number - 1] : null;
}
