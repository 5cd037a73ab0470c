using Knowledge.Index;
using Knowledge.Text;

namespace Knowledge;

/// <summary>
/// One wording a question is compared with: an FAQ question or alternate, or a passage's heading. It answers
/// how much of the resident's question it contains, and how much of itself the resident asked.
/// </summary>
internal sealed class Phrasing
{
    // Folded syllables and "first second" folded pairs of adjacent syllables.
    private readonly HashSet<string> _terms = new(StringComparer.Ordinal);
    private readonly string[] _contentWords;
    private readonly float[] _weights;

    public bool HasContentWords => _contentWords.Length > 0;

    /// <summary>What this wording asks for (an amount, a place, yes or no, who...).</summary>
    public QuestionKind Kind { get; }

    public Phrasing(string text, TextAnalyzer analyzer, SearchIndex index)
    {
        var tokens = analyzer.Analyze(text);
        Kind = QuestionKinds.Of(tokens);
        var content = new List<string>();
        for (var i = 0; i < tokens.Count; i++)
        {
            _terms.Add(tokens[i].Folded);
            if (i > 0) _terms.Add(tokens[i - 1].Folded + " " + tokens[i].Folded);
            if (!StopWords.Contains(tokens[i]) && !content.Contains(tokens[i].Folded)) content.Add(tokens[i].Folded);
        }
        _contentWords = content.ToArray();
        _weights = content.Select(w => index.TryFolded(w, out var id) ? index.FoldedIdf(id) : index.MaxIdf).ToArray();
    }

    /// <summary>Whether this wording holds a folded syllable or "first second" pair.</summary>
    public bool Contains(string term) => _terms.Contains(term);

    /// <summary>How much of the question this wording covers, as QueryPlan.Coverage measures it.</summary>
    public float Covers(QueryPlan plan)
    {
        var matched = 0UL;
        for (var i = 0; i < plan.Concepts.Count && i < QueryPlan.MaxConcepts; i++)
            if (_terms.Contains(plan.Concepts[i].Text)) matched |= 1UL << i;
        return plan.Coverage(matched);
    }

    /// <summary>Rarity-weighted share of this wording's content words that the question uses.</summary>
    public float CoveredBy(QueryPlan plan)
    {
        float total = 0, covered = 0;
        for (var i = 0; i < _contentWords.Length; i++)
        {
            total += _weights[i];
            if (plan.Words.Contains(_contentWords[i])) covered += _weights[i];
        }
        return total == 0 ? 0 : covered / total;
    }
}
