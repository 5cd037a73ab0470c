using System.Globalization;

namespace Knowledge.Text;

/// <summary>Turns text into canonical syllable tokens, expanding abbreviations and teencode.</summary>
internal sealed class TextAnalyzer(Abbreviations abbreviations)
{
    public Abbreviations Abbreviations { get; } = abbreviations;

    public List<Token> Analyze(string text)
    {
        var tokens = new List<Token>();
        foreach (var token in Tokenize(text))
        {
            if (Abbreviations.TryExpand(token.Accented, out var expansion)) tokens.AddRange(expansion);
            else tokens.Add(token);
        }
        return tokens;
    }

    /// <summary>Splits on anything but letters and digits; NFC, lower case and canonical tone placement.</summary>
    public static List<Token> Tokenize(string text)
    {
        var lower = VietnameseLetters.ToNfcLower(text);
        var tokens = new List<Token>();
        var start = -1;
        for (var i = 0; i <= lower.Length; i++)
        {
            var inWord = i < lower.Length && IsWordChar(lower[i]);
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                tokens.Add(Token.From(lower.Substring(start, i - start)));
                start = -1;
            }
        }
        return tokens;
    }

    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark;
}
