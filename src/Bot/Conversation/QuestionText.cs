using System.Globalization;
using System.Text;

namespace Bot.Conversation;

/// <summary>What a resident typed, without invisible characters: a message of only zero-width marks is an empty one.</summary>
public static class QuestionText
{
    /// <summary>Drops control and format characters (zero-width space and joiners, BOM, bidi marks) and trims.</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var category = char.GetUnicodeCategory(c);
            if (c is '\n' or '\t') sb.Append(' ');
            else if (category is not (UnicodeCategory.Control or UnicodeCategory.Format)) sb.Append(c);
        }
        return sb.ToString().Trim();
    }
}
