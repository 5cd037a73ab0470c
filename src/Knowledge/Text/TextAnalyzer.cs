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

    /// <summary>
    /// For bulk indexing: each word of <paramref name="text"/> is analysed once per <paramref name="cache"/>
    /// into whatever <paramref name="create"/> makes of its tokens (the indexer keeps term ids), which saves
    /// normalising and hashing the same words again and again.
    /// </summary>
    public void AnalyzeWords<T>(string text, Dictionary<string, T> cache, Func<Token[], T> create, List<T> output)
    {
        output.Clear();
        var lookup = cache.GetAlternateLookup<ReadOnlySpan<char>>();
        var lower = VietnameseLetters.ToNfcLower(text);
        var start = -1;
        for (var i = 0; i <= lower.Length; i++)
        {
            var inWord = i < lower.Length && IsWordChar(lower[i]);
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                var word = lower.AsSpan(start, i - start);
                if (!lookup.TryGetValue(word, out var analyzed))
                {
                    var token = Token.From(word.ToString());
                    analyzed = create(Abbreviations.TryExpand(token.Accented, out var expansion) ? expansion : [token]);
                    lookup[word] = analyzed;
                }
                output.Add(analyzed);
                start = -1;
            }
        }
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
