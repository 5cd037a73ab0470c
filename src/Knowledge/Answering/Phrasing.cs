using Knowledge.Index;
using Knowledge.Text;

namespace Knowledge;

/// <summary>
/// One wording a question is compared with: an FAQ question or alternate, or a passage's heading. It answers
/// how much of the resident's question it contains, and how much of itself the resident asked.
/// </summary>
internal sealed class Phrasing
{
    // Its folded syllables and "first second" pairs of adjacent ones as TermKeys of the index it was built on; the few
    // syllables the index does not know (a passage's document title may hold words its text does not) as strings.
    private readonly long[] _keys;
    private readonly HashSet<string> _unknownTerms = new(StringComparer.Ordinal);
    private readonly string[] _contentWords;
    private readonly int[] _contentNumbers;
    private readonly float[] _weights;

    public bool HasContentWords => _contentWords.Length > 0;

    /// <summary>What this wording asks for (an amount, a place, yes or no, who...).</summary>
    public QuestionKind Kind { get; }

    /// <summary>Compared with plans built on the same index.</summary>
    public Phrasing(string text, TextAnalyzer analyzer, SearchIndex index)
    {
        var tokens = analyzer.Analyze(text);
        Kind = QuestionKinds.Of(tokens);
        var content = new List<string>();
        var contentNumbers = new List<int>();
        var keys = new SortedSet<long>();
        var previous = -1;
        for (var i = 0; i < tokens.Count; i++)
        {
            var known = index.TryFolded(tokens[i].Folded, out var folded);
            if (known) keys.Add(folded);
            else _unknownTerms.Add(tokens[i].Folded);
            // A pair with an unknown syllable is no concept of a question (QueryPlan pairs only known ones).
            if (known && previous >= 0) keys.Add(TermKey.Pair(previous, folded));
            previous = known ? folded : -1;
            if (StopWords.Contains(tokens[i]) || content.Contains(tokens[i].Folded)) continue;
            content.Add(tokens[i].Folded);
            contentNumbers.Add(known ? folded : -1);
        }
        _keys = [.. keys];
        _contentWords = content.ToArray();
        _contentNumbers = contentNumbers.ToArray();
        _weights = _contentNumbers.Select(id => id >= 0 ? index.FoldedIdf(id) : index.MaxIdf).ToArray();
    }

    /// <summary>Whether this wording holds the concept (a folded syllable or "first second" pair).</summary>
    public bool Contains(QueryConcept concept) =>
        concept.Key >= 0 ? Array.BinarySearch(_keys, concept.Key) >= 0 : _unknownTerms.Count > 0 && _unknownTerms.Contains(concept.Text);

    /// <summary>How much of the question this wording covers, as QueryPlan.Coverage measures it.</summary>
    public float Covers(QueryPlan plan)
    {
        // Every weighed candidate's every wording is compared: a merge of two sorted key lists, no hashing.
        var matched = 0UL;
        var (keys, positions) = plan.SortedKeys;
        for (int a = 0, b = 0; a < keys.Length && b < _keys.Length;)
        {
            if (keys[a] == _keys[b]) { matched |= 1UL << positions[a]; a++; b++; }
            else if (keys[a] < _keys[b]) a++;
            else b++;
        }
        if (_unknownTerms.Count > 0 && plan.HasUnknownConcepts)
            for (var i = 0; i < plan.Concepts.Count && i < QueryPlan.MaxConcepts; i++)
                if (plan.Concepts[i].Key < 0 && _unknownTerms.Contains(plan.Concepts[i].Text)) matched |= 1UL << i;
        return plan.Coverage(matched);
    }

    /// <summary>Rarity-weighted share of this wording's content words that the question uses.</summary>
    public float CoveredBy(QueryPlan plan)
    {
        float total = 0, covered = 0;
        for (var i = 0; i < _contentWords.Length; i++)
        {
            total += _weights[i];
            var used = _contentNumbers[i] >= 0 ? plan.WordNumbers.Contains(_contentNumbers[i]) : plan.Words.Contains(_contentWords[i]);
            if (used) covered += _weights[i];
        }
        return total == 0 ? 0 : covered / total;
    }
}
