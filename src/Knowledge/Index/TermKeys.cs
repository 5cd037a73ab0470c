using Knowledge.Text;

namespace Knowledge.Index;

/// <summary>
/// One term space for four kinds of term, told apart by a prefix: accented syllable, folded syllable,
/// accented syllable bigram and folded bigram. The folded bigram is the two folded syllables written
/// together, so a resident's "matkhau" finds "mật khẩu" without a dictionary.
/// </summary>
internal static class TermKeys
{
    public const char Accented = 'a';
    public const char Folded = 'f';
    public const char AccentedBigram = 'b';
    public const char FoldedBigram = 'g';

    public static int Write(Span<char> buffer, char kind, string first, string? second = null, bool spaced = false)
    {
        buffer[0] = kind;
        first.CopyTo(buffer[1..]);
        var length = 1 + first.Length;
        if (second is null) return length;
        if (spaced) buffer[length++] = ' ';
        second.CopyTo(buffer[length..]);
        return length + second.Length;
    }

    public static int MaxLength(Token a, Token b) => 2 + a.Accented.Length + b.Accented.Length;
}
