namespace Knowledge.Index;

/// <summary>
/// Finds known folded syllables one edit (insert, delete, substitute, swap) away from an unknown one,
/// through a map from every one-character deletion to the syllables that produce it.
/// </summary>
internal sealed class TypoCorrector
{
    private readonly Dictionary<string, List<string>> _byDeletion = new(StringComparer.Ordinal);

    public TypoCorrector(IEnumerable<string> vocabulary)
    {
        foreach (var word in vocabulary)
        {
            if (word.Length < 2 || !char.IsLetter(word[0])) continue;
            AddKey(word, word);
            for (var i = 0; i < word.Length; i++) AddKey(word.Remove(i, 1), word);
        }
    }

    private void AddKey(string key, string word)
    {
        if (!_byDeletion.TryGetValue(key, out var words)) _byDeletion[key] = words = [];
        if (!words.Contains(word)) words.Add(word);
    }

    public List<string> Candidates(string unknown)
    {
        var found = new List<string>();
        if (unknown.Length < 3) return found;
        Collect(unknown, unknown, found);
        for (var i = 0; i < unknown.Length; i++) Collect(unknown.Remove(i, 1), unknown, found);
        return found;
    }

    private void Collect(string key, string unknown, List<string> found)
    {
        if (!_byDeletion.TryGetValue(key, out var words)) return;
        foreach (var word in words)
            if (!found.Contains(word) && word != unknown && IsOneEditAway(word, unknown)) found.Add(word);
    }

    private static bool IsOneEditAway(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 1) return false;
        if (a.Length == b.Length)
        {
            var first = -1;
            var differences = 0;
            for (var i = 0; i < a.Length; i++)
            {
                if (a[i] == b[i]) continue;
                if (differences++ == 0) first = i;
            }
            if (differences <= 1) return true;
            return differences == 2 && first + 1 < a.Length && a[first] == b[first + 1] && a[first + 1] == b[first];
        }
        var (longer, shorter) = a.Length > b.Length ? (a, b) : (b, a);
        for (var i = 0; i < shorter.Length; i++)
            if (longer[i] != shorter[i]) return longer.AsSpan(i + 1).SequenceEqual(shorter.AsSpan(i));
        return true;
    }
}
