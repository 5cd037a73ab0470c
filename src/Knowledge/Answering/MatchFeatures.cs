namespace Knowledge;

/// <summary>What the answer decision weighs for one candidate.</summary>
/// <param name="Coverage">Rarity-weighted share of the question's words and adjacent pairs found anywhere in the candidate.</param>
/// <param name="PhrasingCoverage">The same share found in a single question, alternate or heading of the candidate (the best one).</param>
/// <param name="PhrasingRecall">Share of such a wording's content words that the resident used (the best one): how much of the matched question was asked.</param>
/// <param name="Lead">Ranking score minus that of the best candidate from another topic (-1..1).</param>
/// <param name="UnaskedIntent">1 when the question asks for a kind of answer (an amount, a place...) that none of the candidate's wordings asks for.</param>
/// <param name="WordsOutside">Share of the question's content words that none of the candidate's wordings contains (found only in its answer or tags, or nowhere).</param>
public readonly record struct MatchFeatures(float Coverage, float PhrasingCoverage, float PhrasingRecall, float Lead, float UnaskedIntent, float WordsOutside)
{
    public static IReadOnlyList<string> Names { get; } = ["coverage", "phrasingCoverage", "phrasingRecall", "lead", "unaskedIntent", "wordsOutside"];

    public float[] ToArray() => [Coverage, PhrasingCoverage, PhrasingRecall, Lead, UnaskedIntent, WordsOutside];
}
