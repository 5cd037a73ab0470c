using Knowledge.Text;

namespace Knowledge.Index;

/// <summary>A concept the query asks about: a content syllable or a pair of adjacent ones, weighted by rarity.</summary>
internal readonly record struct QueryConcept(string Text, float Weight, bool IsPair);

/// <summary>
/// What a question asks for: weighted terms to score with, and the concepts whose coverage by a candidate
/// gives a confidence that is comparable across questions (unlike a raw BM25 score).
/// </summary>
internal sealed class QueryPlan
{
    public List<QueryTerm> Terms { get; } = [];
    public List<QueryConcept> Concepts { get; } = [];

    // A pair of syllables is weighted with the pair's share of the confidence; single words get the rest.
    private const float PairShare = 0.5f;

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
        for (var i = 0; i < tokens.Count; i++)
        {
            content[i] = !StopWords.Contains(tokens[i]);
            if (content[i] && !index.TryGetTerm(Key(TermKeys.Folded, tokens[i].Folded), out _))
                tokens[i] = Correct(tokens, i, index, corrector);
        }

        var concepts = new Dictionary<string, int>(StringComparer.Ordinal);
        var joined = new bool[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!content[i])
            {
                plan.AddSyllableTerms(index, token, null, NoConcept, settings.StopWordWeight, settings);
            }
            else
            {
                var concept = plan.AddConcept(concepts, token.Folded, isPair: false, index, Key(TermKeys.Folded, token.Folded),
                    Key(TermKeys.FoldedBigram, token.Folded));
                plan.AddSyllableTerms(index, token, null, concept, 1f, settings);
                // A resident who writes "matkhau" means the pair "mật khẩu".
                if (index.TryGetTerm(Key(TermKeys.FoldedBigram, token.Folded), out var pair))
                {
                    plan.Terms.Add(new QueryTerm(pair, settings.BigramWeight, concept));
                    joined[i] = true;
                }
            }
            if (i == 0) continue;
            var previous = tokens[i - 1];
            // Pairs with a filler score a little but are no concept; a written-together word pairs with nothing.
            if (!content[i - 1] || !content[i] || joined[i - 1] || joined[i])
            {
                plan.AddSyllableTerms(index, previous, token, NoConcept, settings.BigramWeight * settings.StopWordWeight, settings);
                continue;
            }
            var pairConcept = plan.AddConcept(concepts, previous.Folded + " " + token.Folded, isPair: true, index,
                Key(TermKeys.FoldedBigram, previous.Folded + token.Folded));
            plan.AddSyllableTerms(index, previous, token, pairConcept, settings.BigramWeight, settings);
        }
        return plan;
    }

    private const int NoConcept = MaxConcepts;
    public const int MaxConcepts = 63;

    private static string Key(char kind, string text) => kind + text;

    private int AddConcept(Dictionary<string, int> concepts, string text, bool isPair, SearchIndex index, params string[] keys)
    {
        if (concepts.TryGetValue(text, out var existing)) return existing;
        // An unknown word weighs as much as the rarest known one: it is what an off-topic question is about.
        var weight = index.MaxIdf;
        foreach (var key in keys)
            if (index.TryGetTerm(key, out var term)) { weight = index.IdfOf(term); break; }
        Concepts.Add(new QueryConcept(text, weight, isPair));
        concepts[text] = Concepts.Count - 1;
        return Concepts.Count - 1;
    }

    /// <summary>
    /// Accented forms score in full and folded forms at a lower weight, so a question typed with diacritics
    /// prefers entries whose diacritics match; a question typed without them scores on folded forms alone.
    /// </summary>
    private void AddSyllableTerms(SearchIndex index, Token first, Token? second, int concept, float weight, RankingSettings settings)
    {
        var marked = first.HasMarks || (second?.HasMarks ?? false);
        var (accentedKey, foldedKey) = second is { } s
            ? (Key(TermKeys.AccentedBigram, first.Accented + " " + s.Accented), Key(TermKeys.FoldedBigram, first.Folded + s.Folded))
            : (Key(TermKeys.Accented, first.Accented), Key(TermKeys.Folded, first.Folded));
        if (weight <= 0) return;
        if (marked && index.TryGetTerm(accentedKey, out var accented))
            Terms.Add(new QueryTerm(accented, weight, concept));
        if (index.TryGetTerm(foldedKey, out var folded))
            Terms.Add(new QueryTerm(folded, marked ? weight * settings.FoldedWeight : weight, concept));
    }

    /// <summary>Replaces an unknown syllable by the known one an edit away that best fits its neighbours.</summary>
    private static Token Correct(List<Token> tokens, int i, SearchIndex index, Func<TypoCorrector> corrector)
    {
        var unknown = tokens[i].Folded;
        if (unknown.Length < 3 || !char.IsLetter(unknown[0]) || index.TryGetTerm(Key(TermKeys.FoldedBigram, unknown), out _))
            return tokens[i];
        string? best = null;
        var bestFit = float.MinValue;
        foreach (var candidate in corrector().Candidates(unknown))
        {
            var fit = 0f;
            if (i > 0 && index.TryGetTerm(Key(TermKeys.FoldedBigram, tokens[i - 1].Folded + candidate), out _)) fit += 10;
            if (i + 1 < tokens.Count && index.TryGetTerm(Key(TermKeys.FoldedBigram, candidate + tokens[i + 1].Folded), out _)) fit += 10;
            if (index.TryGetTerm(Key(TermKeys.Folded, candidate), out var term)) fit -= index.IdfOf(term);
            if (fit > bestFit) { bestFit = fit; best = candidate; }
        }
        return best is null ? tokens[i] : new Token(best, best);
    }
}
