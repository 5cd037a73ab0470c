using Knowledge.Text;

namespace Knowledge.Index;

/// <summary>A field of an indexed item with its weight in the BM25F sum.</summary>
internal readonly record struct IndexedField(int Field, string Text);

/// <summary>A query term: the posting term, its weight (idf included), and which query concept (bit) it evidences.</summary>
internal readonly record struct QueryTerm(int Term, float Weight, int Concept);

/// <summary>A scored item: BM25F score and the bit set of query concepts it matched.</summary>
internal readonly record struct Hit(int Item, float Score, ulong Concepts);

/// <summary>
/// Ranking parameters; the defaults serve the commune FAQ. A corpus of long answers (UIT-ViCoV19QA) does better with
/// k1 0.8, b 1 and fillers at 0.5, which its benchmark sets.
/// </summary>
/// <param name="WeighedCandidates">The best candidates whose match features are weighed (re-ranked with a model); the rest keep the BM25F order and no confidence.</param>
public sealed record RankingSettings(
    float K1 = 1.2f,
    float B = 0.75f,
    float FoldedWeight = 0.25f,
    float BigramWeight = 1.0f,
    float CoverageInRanking = 0.3f,
    float StopWordWeight = 0.3f,
    float[]? FieldWeights = null,
    int WeighedCandidates = 10)
{
    /// <summary>Field order: question+alternates, tags, answer, document heading, document text.</summary>
    public float[] Weights => FieldWeights ?? [3.0f, 1.5f, 0.6f, 0.8f, 1.0f];

    public const int QuestionField = 0, TagsField = 1, AnswerField = 2, HeadingField = 3, TextField = 4;
    public const int FieldCount = 5;
}

/// <summary>
/// Inverted index with two kinds of posting term: accented syllables (canonical form) and pairs of
/// adjacent folded syllables. A folded syllable maps to its accented variants, so a question typed
/// without diacritics reaches every spelling. Postings are flat arrays holding the BM25F saturation
/// precomputed per item, so a query is a sum of weight × stored value over a few array slices.
/// </summary>
internal sealed class SearchIndex
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _accented;
    private readonly Dictionary<string, int> _folded;
    private readonly int[][] _variants;
    private readonly Dictionary<long, int> _pairs;
    private readonly int[] _offsets;
    private readonly int[] _postingItems;
    private readonly Half[] _postingValues;
    private readonly float[] _idf;
    private readonly float[] _foldedIdf;

    public int ItemCount { get; }
    public float MaxIdf { get; }

    private SearchIndex(Builder builder, int[] offsets, int[] items, Half[] values)
    {
        _accented = builder.Accented.GetAlternateLookup<ReadOnlySpan<char>>();
        _folded = builder.Folded;
        _variants = builder.Variants.Select(v => v.ToArray()).ToArray();
        _pairs = builder.Pairs;
        _offsets = offsets;
        _postingItems = items;
        _postingValues = values;
        ItemCount = builder.ItemCount;
        MaxIdf = Idf(0);
        _idf = new float[offsets.Length - 1];
        for (var t = 0; t < _idf.Length; t++) _idf[t] = Idf(offsets[t + 1] - offsets[t]);
        _foldedIdf = new float[_variants.Length];
        for (var f = 0; f < _variants.Length; f++)
        {
            var df = 0;
            foreach (var t in _variants[f]) df += offsets[t + 1] - offsets[t];
            _foldedIdf[f] = Idf(Math.Min(df, ItemCount));
        }
    }

    private float Idf(int df) => MathF.Log(1 + (ItemCount - df + 0.5f) / (df + 0.5f));

    public bool TryAccented(string syllable, out int term) => _accented.TryGetValue(syllable, out term);

    public bool TryFolded(ReadOnlySpan<char> syllable, out int folded) =>
        _folded.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(syllable, out folded);

    public ReadOnlySpan<int> Variants(int folded) => _variants[folded];

    public bool TryPair(int firstFolded, int secondFolded, out int term) => _pairs.TryGetValue(PairKey(firstFolded, secondFolded), out term);

    /// <summary>"matkhau" → the pair term of "mat" + "khau", when some split of the word is a known pair.</summary>
    public bool TryJoinedPair(string folded, out int term)
    {
        for (var split = 1; split < folded.Length; split++)
            if (TryFolded(folded.AsSpan(0, split), out var first) && TryFolded(folded.AsSpan(split), out var second)
                && TryPair(first, second, out term))
                return true;
        term = -1;
        return false;
    }

    public float IdfOf(int term) => _idf[term];

    public float FoldedIdf(int folded) => _foldedIdf[folded];

    public IEnumerable<string> FoldedVocabulary => _folded.Keys;

    private static long PairKey(int first, int second) => ((long)first << 32) | (uint)second;

    // The top bit of an item's concept mask marks it as touched by the current query.
    private const ulong TouchedBit = 1UL << 63;

    [ThreadStatic] private static SearchScratch? _scratch;

    /// <summary>Scores every item touched by the terms and returns the best <paramref name="count"/>, best first.</summary>
    public List<Hit> Search(IReadOnlyList<QueryTerm> terms, int count)
    {
        var scratch = _scratch is { } s && s.Capacity >= ItemCount ? s : _scratch = new SearchScratch(ItemCount);
        var scores = scratch.Scores;
        var masks = scratch.Masks;
        var touched = scratch.Touched;
        var touchedCount = 0;
        for (var i = 0; i < terms.Count; i++)
        {
            var term = terms[i];
            var weight = term.Weight;
            var bit = (term.Concept < QueryPlan.MaxConcepts ? 1UL << term.Concept : 0UL) | TouchedBit;
            var end = _offsets[term.Term + 1];
            for (var j = _offsets[term.Term]; j < end; j++)
            {
                var item = _postingItems[j];
                if (masks[item] == 0) touched[touchedCount++] = item;
                scores[item] += weight * (float)_postingValues[j];
                masks[item] |= bit;
            }
        }

        var heap = new TopHits(count);
        for (var i = 0; i < touchedCount; i++)
        {
            var item = touched[i];
            heap.Offer(new Hit(item, scores[item], masks[item] & ~TouchedBit));
            scores[item] = 0;
            masks[item] = 0;
        }
        return heap.ToSortedList();
    }

    private sealed class SearchScratch(int capacity)
    {
        public int Capacity { get; } = capacity;
        public float[] Scores { get; } = new float[capacity];
        public ulong[] Masks { get; } = new ulong[capacity];
        public int[] Touched { get; } = new int[capacity];
    }

    /// <summary>
    /// Builds the index in two passes: first the term sequence and length of every field, then (once
    /// average field lengths are known) the BM25F value of every posting into flat arrays.
    /// </summary>
    public sealed class Builder(TextAnalyzer analyzer, RankingSettings settings)
    {
        internal Dictionary<string, int> Accented { get; } = new(StringComparer.Ordinal);
        internal Dictionary<string, int> Folded { get; } = new(StringComparer.Ordinal);
        internal List<List<int>> Variants { get; } = [];
        internal Dictionary<long, int> Pairs { get; } = new(PairKeyComparer.Instance);
        internal int ItemCount => _itemFieldStarts.Count;

        private readonly Dictionary<string, WordTerms> _wordCache = new(StringComparer.Ordinal);
        private readonly List<WordTerms> _words = [];
        private readonly List<int> _occurrences = [];
        private readonly List<(int Field, int Length, int End)> _fields = [];
        private readonly List<int> _itemFieldStarts = [];
        private readonly long[] _fieldLengthSums = new long[RankingSettings.FieldCount];
        private readonly int[] _fieldCounts = new int[RankingSettings.FieldCount];
        private int _termCount;

        /// <summary>The accented term and folded id of each token of a word (an abbreviation gives several).</summary>
        private sealed record WordTerms(int[] Accented, int[] Folded);

        public void Add(IReadOnlyList<IndexedField> fields)
        {
            _itemFieldStarts.Add(_fields.Count);
            foreach (var field in fields)
            {
                analyzer.AnalyzeWords(field.Text, _wordCache, Intern, _words);
                var previousFolded = -1;
                var length = 0;
                foreach (var word in _words)
                {
                    for (var k = 0; k < word.Accented.Length; k++)
                    {
                        _occurrences.Add(word.Accented[k]);
                        var folded = word.Folded[k];
                        if (previousFolded >= 0)
                        {
                            var key = PairKey(previousFolded, folded);
                            if (!Pairs.TryGetValue(key, out var pair)) Pairs[key] = pair = _termCount++;
                            _occurrences.Add(pair);
                        }
                        previousFolded = folded;
                        length++;
                    }
                }
                _fields.Add((field.Field, length, _occurrences.Count));
                _fieldLengthSums[field.Field] += length;
                _fieldCounts[field.Field]++;
            }
        }

        private WordTerms Intern(Token[] tokens)
        {
            var accented = new int[tokens.Length];
            var folded = new int[tokens.Length];
            for (var k = 0; k < tokens.Length; k++)
            {
                if (!Accented.TryGetValue(tokens[k].Accented, out var term))
                {
                    Accented[tokens[k].Accented] = term = _termCount++;
                    VariantsOf(tokens[k].Folded).Add(term);
                }
                accented[k] = term;
                folded[k] = Folded[tokens[k].Folded];
            }
            return new WordTerms(accented, folded);
        }

        private List<int> VariantsOf(string folded)
        {
            if (!Folded.TryGetValue(folded, out var id))
            {
                Folded[folded] = id = Variants.Count;
                Variants.Add([]);
            }
            return Variants[id];
        }

        public SearchIndex Build()
        {
            var weights = settings.Weights;
            var averages = new float[RankingSettings.FieldCount];
            for (var f = 0; f < averages.Length; f++)
                averages[f] = _fieldCounts[f] == 0 ? 1 : Math.Max(1f, (float)_fieldLengthSums[f] / _fieldCounts[f]);

            // Document frequencies give the offsets of each term's postings.
            var offsets = new int[_termCount + 1];
            var lastItem = new int[_termCount];
            Array.Fill(lastItem, -1);
            ForEachItem((item, start, end) =>
            {
                for (var i = start; i < end; i++)
                {
                    var t = _occurrences[i];
                    if (lastItem[t] == item) continue;
                    lastItem[t] = item;
                    offsets[t + 1]++;
                }
            });
            for (var t = 0; t < _termCount; t++) offsets[t + 1] += offsets[t];

            var items = new int[offsets[^1]];
            var values = new Half[offsets[^1]];
            var next = offsets[..^1];
            var pseudoTf = new float[_termCount];
            var seen = new List<int>();
            var fieldIndex = 0;
            for (var item = 0; item < ItemCount; item++)
            {
                var fieldEnd = item + 1 < ItemCount ? _itemFieldStarts[item + 1] : _fields.Count;
                for (; fieldIndex < fieldEnd; fieldIndex++)
                {
                    var (field, length, end) = _fields[fieldIndex];
                    var start = fieldIndex == 0 ? 0 : _fields[fieldIndex - 1].End;
                    var norm = weights[field] / (1 - settings.B + settings.B * length / averages[field]);
                    for (var i = start; i < end; i++)
                    {
                        var t = _occurrences[i];
                        if (pseudoTf[t] == 0) seen.Add(t);
                        pseudoTf[t] += norm;
                    }
                }
                foreach (var t in seen)
                {
                    var tf = pseudoTf[t];
                    items[next[t]] = item;
                    values[next[t]++] = (Half)(tf * (settings.K1 + 1) / (settings.K1 + tf));
                    pseudoTf[t] = 0;
                }
                seen.Clear();
            }
            return new SearchIndex(this, offsets, items, values);
        }

        private void ForEachItem(Action<int, int, int> visit)
        {
            for (var item = 0; item < ItemCount; item++)
            {
                var firstField = _itemFieldStarts[item];
                var lastField = (item + 1 < ItemCount ? _itemFieldStarts[item + 1] : _fields.Count) - 1;
                var start = firstField == 0 ? 0 : _fields[firstField - 1].End;
                var end = lastField < firstField ? start : _fields[lastField].End;
                visit(item, start, end);
            }
        }
    }
}

/// <summary>
/// Hashes a pair of syllable ids well; the default long hash (high ^ low) puts pairs of small ids into
/// few buckets, which made building 100,000 chunks quadratic.
/// </summary>
internal sealed class PairKeyComparer : IEqualityComparer<long>
{
    public static PairKeyComparer Instance { get; } = new();

    public bool Equals(long x, long y) => x == y;

    public int GetHashCode(long key) => (int)((ulong)key * 0x9E3779B97F4A7C15UL >> 32);
}

/// <summary>A bounded min-heap keeping the best hits.</summary>
internal sealed class TopHits(int capacity)
{
    private readonly Hit[] _heap = new Hit[Math.Max(1, capacity)];
    private int _count;

    public void Offer(Hit hit)
    {
        if (_count < _heap.Length)
        {
            _heap[_count] = hit;
            SiftUp(_count++);
        }
        else if (IsBetter(hit, _heap[0]))
        {
            _heap[0] = hit;
            SiftDown(0);
        }
    }

    // Ties break on the lower item number so that results are deterministic.
    private static bool IsBetter(Hit a, Hit b) => a.Score > b.Score || (a.Score == b.Score && a.Item < b.Item);

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!IsBetter(_heap[parent], _heap[i])) break;
            (_heap[parent], _heap[i]) = (_heap[i], _heap[parent]);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            var smallest = i;
            var left = 2 * i + 1;
            var right = left + 1;
            if (left < _count && IsBetter(_heap[smallest], _heap[left])) smallest = left;
            if (right < _count && IsBetter(_heap[smallest], _heap[right])) smallest = right;
            if (smallest == i) return;
            (_heap[smallest], _heap[i]) = (_heap[i], _heap[smallest]);
            i = smallest;
        }
    }

    public List<Hit> ToSortedList()
    {
        var list = new List<Hit>(_count);
        for (var i = 0; i < _count; i++) list.Add(_heap[i]);
        list.Sort((a, b) => IsBetter(a, b) ? -1 : IsBetter(b, a) ? 1 : 0);
        return list;
    }
}
