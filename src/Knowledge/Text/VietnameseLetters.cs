using System.Globalization;
using System.Text;

namespace Knowledge.Text;

/// <summary>Per-character tables for Vietnamese letters: tone mark, letter without tone, letter without any diacritic.</summary>
internal static class VietnameseLetters
{
    private const int Size = 0x2000;
    private static readonly byte[] ToneOf = new byte[Size];
    private static readonly char[] TonelessOf = new char[Size];
    private static readonly char[] FoldedOf = new char[Size];
    private static readonly Dictionary<(char, byte), char> WithToneOf = new();

    // Combining marks that carry a Vietnamese tone: grave, acute, tilde, hook above, dot below.
    private static readonly char[] ToneMarks = ['\u0300', '\u0301', '\u0303', '\u0309', '\u0323'];

    static VietnameseLetters()
    {
        for (var i = 0; i < Size; i++)
        {
            var c = (char)i;
            TonelessOf[i] = c;
            FoldedOf[i] = c;
            if (!char.IsLetter(c)) continue;
            var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
            if (decomposed.Length == 1) continue;
            byte tone = 0;
            var rest = new StringBuilder();
            foreach (var d in decomposed)
            {
                var t = Array.IndexOf(ToneMarks, d);
                if (t >= 0) tone = (byte)(t + 1);
                else rest.Append(d);
            }
            var toneless = rest.ToString().Normalize(NormalizationForm.FormC);
            if (toneless.Length == 1) TonelessOf[i] = toneless[0];
            ToneOf[i] = tone;
            if (tone != 0 && toneless.Length == 1) WithToneOf.TryAdd((toneless[0], tone), c);
            FoldedOf[i] = decomposed[0];
        }
        FoldedOf['đ'] = 'd';
        FoldedOf['Đ'] = 'D';
    }

    public static char Fold(char c) => c < Size ? FoldedOf[c] : c;

    private static bool IsVowel(char toneless) => toneless switch
    {
        'a' or 'ă' or 'â' or 'e' or 'ê' or 'i' or 'o' or 'ô' or 'ơ' or 'u' or 'ư' or 'y' => true,
        _ => false,
    };

    private static bool IsModifiedVowel(char toneless) => toneless is 'ă' or 'â' or 'ê' or 'ô' or 'ơ' or 'ư';

    /// <summary>Removes every diacritic (tone and vowel marks, đ → d) from a lower-case token.</summary>
    public static string Fold(string token)
    {
        var changed = false;
        foreach (var c in token)
            if (Fold(c) != c) { changed = true; break; }
        if (!changed) return token;
        return string.Create(token.Length, token, static (span, t) =>
        {
            for (var i = 0; i < t.Length; i++) span[i] = Fold(t[i]);
        });
    }

    /// <summary>
    /// Moves the tone mark of a lower-case syllable to one canonical vowel, so that old and new
    /// placements (hòa/hoà, thủy/thuỷ, khỏe/khoẻ) give the same string. The canonical choice is the
    /// "new" placement: on the marked vowel, else the last vowel before a final consonant, else the
    /// second vowel of oa/oe/uy, else the first of two vowels or the middle of three.
    /// </summary>
    public static string CanonicalTone(string syllable)
    {
        byte tone = 0;
        var toneAt = -1;
        for (var i = 0; i < syllable.Length; i++)
        {
            var c = syllable[i];
            if (c < Size && ToneOf[c] != 0) { tone = ToneOf[c]; toneAt = i; }
        }
        if (tone == 0) return syllable;

        Span<char> bare = stackalloc char[syllable.Length];
        for (var i = 0; i < syllable.Length; i++)
        {
            var c = syllable[i];
            bare[i] = c < Size ? TonelessOf[c] : c;
        }
        var target = TonePosition(bare);
        if (target < 0 || target == toneAt) return syllable;
        if (!WithToneOf.TryGetValue((bare[target], tone), out var toned)) return syllable;
        bare[target] = toned;
        return new string(bare);
    }

    private static int TonePosition(ReadOnlySpan<char> s)
    {
        var start = 0;
        while (start < s.Length && !IsVowel(s[start])) start++;
        if (start >= s.Length) return -1;
        // "qu" and "gi" (before another vowel) are consonants.
        if (start + 1 < s.Length && IsVowel(s[start + 1]) &&
            ((s[start] == 'u' && start > 0 && s[start - 1] == 'q') || (s[start] == 'i' && start > 0 && s[start - 1] == 'g')))
            start++;
        var end = start;
        while (end < s.Length && IsVowel(s[end])) end++;
        var length = end - start;

        for (var i = end - 1; i >= start; i--)
            if (IsModifiedVowel(s[i])) return i;
        if (length == 1) return start;
        if (end < s.Length) return end - 1;
        if (length == 2)
        {
            var pair = (s[start], s[start + 1]);
            return pair is ('o', 'a') or ('o', 'e') or ('u', 'y') ? start + 1 : start;
        }
        return start + 1;
    }

    public static string ToNfcLower(string text)
    {
        var nfc = text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
        return nfc.ToLower(CultureInfo.InvariantCulture);
    }
}
