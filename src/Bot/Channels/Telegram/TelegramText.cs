using System.Globalization;

namespace Bot.Channels.Telegram;

/// <summary>Long answers cut into messages Telegram accepts.</summary>
public static class TelegramText
{
    /// <summary>Telegram's limit on message text, in UTF-16 code units after entity parsing.</summary>
    public const int MaxMessageLength = 4096;

    /// <summary>
    /// Splits <paramref name="text"/> into chunks of at most <paramref name="max"/> UTF-16 code units: at the last
    /// blank line that fits, else the last line break, else the last space; a word longer than a whole chunk is cut
    /// (never inside a surrogate pair or before a combining mark). The whitespace at a cut is dropped, so no chunk
    /// starts or ends with whitespace and none is empty. Split plain text, then escape or format each chunk: a cut
    /// must not fall inside an HTML tag.
    /// </summary>
    public static IReadOnlyList<string> Split(string text, int max = MaxMessageLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 2);
        var chunks = new List<string>();
        var rest = text.AsSpan().Trim();
        while (rest.Length > max)
        {
            var cut = CutPosition(rest, max);
            chunks.Add(rest[..cut].TrimEnd().ToString());
            rest = rest[cut..].TrimStart();
        }
        if (!rest.IsEmpty) chunks.Add(rest.ToString());
        return chunks;
    }

    /// <summary>Where to end the next chunk of rest (longer than max, no leading whitespace): 0 &lt; result ≤ max.</summary>
    private static int CutPosition(ReadOnlySpan<char> rest, int max)
    {
        // A separator just after the max-th character still gives a full chunk, hence max + 1.
        var window = rest[..(max + 1)];
        var paragraph = Math.Max(window.LastIndexOf("\n\n"), window.LastIndexOf("\n\r\n"));
        if (paragraph > 0) return paragraph;
        var line = window.LastIndexOf('\n');
        if (line > 0) return line;
        for (var i = max; i > 0; i--)
            if (char.IsWhiteSpace(window[i])) return i;

        var hard = max;
        while (hard > 1 && (char.IsLowSurrogate(rest[hard]) || IsCombining(rest[hard]))) hard--;
        return hard;
    }

    private static bool IsCombining(char c) => CharUnicodeInfo.GetUnicodeCategory(c)
        is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
}
