namespace Knowledge.Text;

/// <summary>A syllable in canonical form (NFC, lower case, canonical tone place) and without any diacritic.</summary>
internal readonly record struct Token(string Accented, string Folded)
{
    public bool HasMarks => !string.Equals(Accented, Folded, StringComparison.Ordinal);

    public static Token From(string lowerSyllable)
    {
        var accented = VietnameseLetters.CanonicalTone(lowerSyllable);
        return new Token(accented, VietnameseLetters.Fold(accented));
    }
}
