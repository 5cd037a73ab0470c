using Knowledge.Text;

namespace Knowledge.Index;

/// <summary>
/// A concept the query asks about: a content syllable or a pair of adjacent ones, weighted by rarity. Key is its
/// <see cref="TermKey"/> in the index the plan was built on (-1 for a syllable the index does not know).
/// </summary>
internal readonly record struct QueryConcept(string Text, float Weight, bool IsPair, long Key);

/// <summary>
/// A folded syllable or pair of syllables as a number of one index, so that wordings are compared with a question
/// without hashing strings: a syllable is its folded number, a pair both numbers (always above every syllable's).
/// </summary>
internal static class TermKey
{
    public const long Unknown = -1;

    public static long Pair(int firstFolded, int secondFolded) => ((long)(firstFolded + 1) << 32) | (uint)secondFolded;
}

/// <summary>
/// What a question asks for: weighted terms to score with, and the concepts whose coverage by a candidate
/// gives a confidence that is comparable across questions (unlike a raw BM25 score).
/// </summary>
internal sealed class QueryPlan
{
    public const int MaxConcepts = 63;
    private const int NoConcept = MaxConcepts;

    // Share of the confidence carried by pairs of adjacent words; single words carry the rest.
    private const float PairShare = 0.5f;

    public List<QueryTerm> Terms { get; } = [];
    public List<QueryConcept> Concepts { get; } = [];

    /// <summary>The keys of the first MaxConcepts concepts the index knows, ascending, each with its concept's position.</summary>
    public (long[] Keys, int[] Positions) SortedKeys => _sortedKeys ??= SortKeys();
    private (long[] Keys, int[] Positions)? _sortedKeys;

    /// <summary>Whether some of the first MaxConcepts concepts is a syllable the index does not know.</summary>
    public bool HasUnknownConcepts => SortedKeys.Keys.Length < Math.Min(Concepts.Count, MaxConcepts);

    private (long[] Keys, int[] Positions) SortKeys()
    {
        var known = Enumerable.Range(0, Math.Min(Concepts.Count, MaxConcepts)).Where(i => Concepts[i].Key >= 0).ToArray();
        var keys = known.Select(i => Concepts[i].Key).ToArray();
        Array.Sort(keys, known);
        return (keys, known);
    }

    /// <summary>Every folded syllable of the question after abbreviation expansion and typo correction.</summary>
    public HashSet<string> Words { get; } = new(StringComparer.Ordinal);

    /// <summary>The index's numbers of those syllables that it knows.</summary>
    public HashSet<int> WordNumbers { get; } = [];

    /// <summary>How much of the question a candidate covers: rarity-weighted share of words and of word pairs.</summary>
    public float Coverage(ulong matched)
    {
        float words = 0, wordsMatched = 0, pairs = 0, pairsMatched = 0;
        for (var i = 0; i < Concepts.Count && i < MaxConcepts; i++)
        {
            var concept = Concepts[i];
            var hit = (matched & (1UL << i)) != 0;
            if (concept.IsPair) { pairs += concept.Weight; if (hit) pairsMatched += concept.Weight; }
            else { words += concept.Weight; if (hit) wordsMatched += concept.Weight; }
        }
        if (words == 0) return 0;
        var wordCoverage = wordsMatched / words;
        return pairs == 0 ? wordCoverage : (1 - PairShare) * wordCoverage + PairShare * pairsMatched / pairs;
    }

    public static QueryPlan Build(string question, TextAnalyzer analyzer, SearchIndex index, Func<TypoCorrector> corrector,
        RankingSettings settings)
    {
        var plan = new QueryPlan();
        var tokens = analyzer.Analyze(question);
        var content = new bool[tokens.Count];
        var folded = new int[tokens.Count];
        var joined = new int[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            content[i] = !StopWords.Contains(tokens[i]);
            joined[i] = -1;
            if (index.TryFolded(tokens[i].Folded, out folded[i])) continue;
            folded[i] = -1;
            if (!content[i]) continue;
            // A resident who writes "matkhau" means the pair "mật khẩu". An unknown word typed without
            // diacritics may be a typo; one typed with them is a real word the base does not know ("vàng").
            if (index.TryJoinedPair(tokens[i].Folded, out var pair)) joined[i] = pair;
            else if (!tokens[i].HasMarks && Correct(tokens, i, index, corrector) is { } fixedToken)
            {
                tokens[i] = fixedToken;
                index.TryFolded(fixedToken.Folded, out folded[i]);
            }
        }

        var concepts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            plan.Words.Add(token.Folded);
            if (folded[i] >= 0) plan.WordNumbers.Add(folded[i]);
            if (!content[i])
                plan.AddSyllable(index, token, folded[i], NoConcept, settings.StopWordWeight, settings);
            else if (joined[i] >= 0)
            {
                var concept = plan.AddConcept(concepts, token.Folded, false, index.IdfOf(joined[i]), TermKey.Unknown);
                plan.Terms.Add(new QueryTerm(joined[i], settings.BigramWeight * index.IdfOf(joined[i]), concept));
            }
            else
            {
                var concept = plan.AddConcept(concepts, token.Folded, false, folded[i] >= 0 ? index.FoldedIdf(folded[i]) : index.MaxIdf,
                    folded[i] >= 0 ? folded[i] : TermKey.Unknown);
                plan.AddSyllable(index, token, folded[i], concept, 1f, settings);
            }

            if (i == 0 || folded[i - 1] < 0 || folded[i] < 0) continue;
            var known = index.TryPair(folded[i - 1], folded[i], out var pairTerm);
            // Pairs with a filler score a little but are no concept.
            if (!content[i - 1] || !content[i])
            {
                if (known) plan.Terms.Add(new QueryTerm(pairTerm, settings.BigramWeight * settings.StopWordWeight * index.IdfOf(pairTerm), NoConcept));
                continue;
            }
            var pairConcept = plan.AddConcept(concepts, tokens[i - 1].Folded + " " + token.Folded, true,
                known ? index.IdfOf(pairTerm) : index.MaxIdf, TermKey.Pair(folded[i - 1], folded[i]));
            if (known) plan.Terms.Add(new QueryTerm(pairTerm, settings.BigramWeight * index.IdfOf(pairTerm), pairConcept));
        }
        return plan;
    }

    // An unknown word weighs as much as the rarest known one: it is what an off-topic question is about.
    private int AddConcept(Dictionary<string, int> concepts, string text, bool isPair, float weight, long key)
    {
        if (concepts.TryGetValue(text, out var existing)) return existing;
        Concepts.Add(new QueryConcept(text, weight, isPair, key));
        concepts[text] = Concepts.Count - 1;
        return Concepts.Count - 1;
    }

    /// <summary>
    /// The accented form scores in full and every accented variant of the folded form at a lower weight,
    /// so a question typed with diacritics prefers entries whose diacritics match, while one typed without
    /// them reaches every spelling. Variants share the folded form's idf so a rare spelling does not dominate.
    /// </summary>
    private void AddSyllable(SearchIndex index, Token token, int folded, int concept, float weight, RankingSettings settings)
    {
        if (weight <= 0 || folded < 0) return;
        var marked = token.HasMarks;
        if (marked && index.TryAccented(token.Accented, out var accented))
            Terms.Add(new QueryTerm(accented, weight * index.IdfOf(accented), concept));
        var variantWeight = (marked ? weight * settings.FoldedWeight : weight) * index.FoldedIdf(folded);
        foreach (var variant in index.Variants(folded))
            Terms.Add(new QueryTerm(variant, variantWeight, concept));
    }

    /// <summary>The known syllable one edit away from an unknown one that best fits its neighbours, if any.</summary>
    private static Token? Correct(List<Token> tokens, int i, SearchIndex index, Func<TypoCorrector> corrector)
    {
        var unknown = tokens[i].Folded;
        if (unknown.Length < 3 || !char.IsLetter(unknown[0])) return null;
        var before = i > 0 && index.TryFolded(tokens[i - 1].Folded, out var b) ? b : -1;
        var after = i + 1 < tokens.Count && index.TryFolded(tokens[i + 1].Folded, out var a) ? a : -1;
        string? best = null;
        var bestFit = float.MinValue;
        foreach (var candidate in corrector().Candidates(unknown))
        {
            if (!index.TryFolded(candidate, out var id)) continue;
            var fit = -index.FoldedIdf(id);
            if (before >= 0 && index.TryPair(before, id, out _)) fit += 10;
            if (after >= 0 && index.TryPair(id, after, out _)) fit += 10;
            if (fit > bestFit) { bestFit = fit; best = candidate; }
        }
        return best is null ? null : new Token(best, best);
    }
}
