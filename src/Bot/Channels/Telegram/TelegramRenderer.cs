using System.Text;
using System.Text.RegularExpressions;
using Bot.Conversation;
using Telegram.Bot.Types.ReplyMarkups;

namespace Bot.Channels.Telegram;

/// <summary>Turns an <see cref="OutgoingMessage"/> into Telegram messages: HTML, split at 4,096 characters, buttons on the last part.</summary>
public static partial class TelegramRenderer
{
    private const int MaxCallbackBytes = 64;

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex Bold();

    public static IReadOnlyList<(string Html, InlineKeyboardMarkup? Markup)> Render(OutgoingMessage message)
    {
        // Split the plain text first so that a cut never falls inside a tag, then format each part.
        var parts = TelegramText.Split(message.Text);
        var markup = Keyboard(message);
        return parts.Select((part, i) => (Bold().Replace(TelegramHtml.Escape(part), "<b>$1</b>"), i == parts.Count - 1 ? markup : null)).ToList();
    }

    private static InlineKeyboardMarkup? Keyboard(OutgoingMessage message)
    {
        var rows = message.Buttons
            .Select(row => row
                .Where(b => Encoding.UTF8.GetByteCount(b.Data) <= MaxCallbackBytes)
                .Select(b => InlineKeyboardButton.WithCallbackData(b.Label, b.Data)).ToArray())
            .Where(row => row.Length > 0).ToList();
        return rows.Count == 0 ? null : new InlineKeyboardMarkup(rows);
    }
}