using Knowledge.Text;

namespace Knowledge.Index;

/// <summary>A field of an indexed item with its weight in the BM25F sum.</summary>
internal readonly record struct IndexedField(int Field, string Text);

/// <summary>A query term: the interned term, its weight, and which query concept (bit) it evidences.</summary>
internal readonly record struct QueryTerm(int Term, float Weight, int Concept);

/// <summary>A scored item: BM25F score and the bit set of query concepts it matched.</summary>
internal readonly record struct Hit(int Item, float Score, ulong Concepts);

/// <summary>Ranking parameters; the defaults were tuned on the ViCoV19QA validation questions.</summary>
public sealed record RankingSettings(
    float K1 = 1.2f,
    float B = 0.75f,
    float FoldedWeight = 0.25f,
    float BigramWeight = 1.0f,
    float CoverageInRanking = 0.3f,
    float StopWordWeight = 0.3f,
    float[]? FieldWeights = null)
{
    /// <summary>Field order: question+alternates, tags, answer, document heading, document text.</summary>
    public float[] Weights => FieldWeights ?? [3.0f, 1.5f, 0.6f, 0.8f, 1.0f];

    public const int QuestionField = 0, TagsField = 1, AnswerField = 2, HeadingField = 3, TextField = 4;
    public const int FieldCount = 5;
}

/// <summary>
/// Inverted index over interned terms with BM25F saturation precomputed per posting, so a query is
/// a sum of weight × idf × stored value over a few posting arrays.
/// </summary>
internal sealed class SearchIndex
{
    private readonly Dictionary<string, int> _terms;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int[][] _postingItems;
    private readonly float[][] _postingValues;
    private readonly float[] _idf;

    public int ItemCount { get; }
    public float K1 { get; }
    public int TermCount => _idf.Length;
    public float MaxIdf { get; }

    private SearchIndex(Dictionary<string, int> terms, int[][] items, float[][] values, int itemCount, float k1)
    {
        _terms = terms;
        _lookup = terms.GetAlternateLookup<ReadOnlySpan<char>>();
        _postingItems = items;
        _postingValues = values;
        ItemCount = itemCount;
        K1 = k1;
        _idf = new float[items.Length];
        for (var t = 0; t < items.Length; t++) _idf[t] = Idf(items[t].Length);
        MaxIdf = Idf(0);
    }

    private float Idf(int df) => MathF.Log(1 + (ItemCount - df + 0.5f) / (df + 0.5f));

    public bool TryGetTerm(ReadOnlySpan<char> key, out int term) => _lookup.TryGetValue(key, out term);

    public float IdfOf(int term) => _idf[term];

    public IEnumerable<string> Keys(char kind)
    {
        foreach (var key in _terms.Keys)
            if (key[0] == kind) yield return key[1..];
    }

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
            var items = _postingItems[term.Term];
            var values = _postingValues[term.Term];
            var weight = term.Weight * _idf[term.Term];
            var bit = (term.Concept < QueryPlan.MaxConcepts ? 1UL << term.Concept : 0UL) | TouchedBit;
            for (var j = 0; j < items.Length; j++)
            {
                var item = items[j];
                if (masks[item] == 0) touched[touchedCount++] = item;
                scores[item] += weight * values[j];
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

    /// <summary>Builds the index in two passes: terms and field lengths first, then BM25F values per posting.</summary>
    public sealed class Builder(TextAnalyzer analyzer, RankingSettings settings)
    {
        private readonly Dictionary<string, int> _terms = new(StringComparer.Ordinal);
        private readonly List<(int Field, int Length, int[] Terms)[]> _items = [];
        private readonly long[] _fieldLengthSums = new long[RankingSettings.FieldCount];
        private readonly int[] _fieldCounts = new int[RankingSettings.FieldCount];
        private readonly List<int> _scratchTerms = [];

        public int Add(IReadOnlyList<IndexedField> fields)
        {
            var analyzed = new (int, int, int[])[fields.Count];
            for (var f = 0; f < fields.Count; f++)
            {
                var tokens = analyzer.Analyze(fields[f].Text);
                analyzed[f] = (fields[f].Field, tokens.Count, InternTerms(tokens));
                _fieldLengthSums[fields[f].Field] += tokens.Count;
                _fieldCounts[fields[f].Field]++;
            }
            _items.Add(analyzed);
            return _items.Count - 1;
        }

        private int[] InternTerms(List<Token> tokens)
        {
            var lookup = _terms.GetAlternateLookup<ReadOnlySpan<char>>();
            _scratchTerms.Clear();
            Span<char> buffer = stackalloc char[256];
            for (var i = 0; i < tokens.Count; i++)
            {
                var token = tokens[i];
                if (token.Accented.Length > 120) continue;
                Intern(lookup, buffer[..TermKeys.Write(buffer, TermKeys.Folded, token.Folded)]);
                if (token.HasMarks) Intern(lookup, buffer[..TermKeys.Write(buffer, TermKeys.Accented, token.Accented)]);
                if (i == 0 || tokens[i - 1].Accented.Length > 120) continue;
                var previous = tokens[i - 1];
                Intern(lookup, buffer[..TermKeys.Write(buffer, TermKeys.FoldedBigram, previous.Folded, token.Folded)]);
                if (token.HasMarks || previous.HasMarks)
                    Intern(lookup, buffer[..TermKeys.Write(buffer, TermKeys.AccentedBigram, previous.Accented, token.Accented, spaced: true)]);
            }
            return _scratchTerms.ToArray();
        }

        private void Intern(Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup, ReadOnlySpan<char> key)
        {
            if (!lookup.TryGetValue(key, out var id))
            {
                id = _terms.Count;
                lookup[key] = id;
            }
            _scratchTerms.Add(id);
        }

        public SearchIndex Build()
        {
            var weights = settings.Weights;
            var averages = new float[RankingSettings.FieldCount];
            for (var f = 0; f < averages.Length; f++)
                averages[f] = _fieldCounts[f] == 0 ? 1 : Math.Max(1f, (float)_fieldLengthSums[f] / _fieldCounts[f]);

            var termCount = _terms.Count;
            var counts = new int[termCount];
            var pseudoTf = new float[termCount];
            var seen = new List<int>();
            var postings = new PostingList[termCount];
            for (var item = 0; item < _items.Count; item++)
            {
                foreach (var (field, length, terms) in _items[item])
                {
                    var norm = weights[field] / (1 - settings.B + settings.B * length / averages[field]);
                    foreach (var t in terms)
                    {
                        if (pseudoTf[t] == 0) seen.Add(t);
                        pseudoTf[t] += norm;
                    }
                }
                foreach (var t in seen)
                {
                    var tf = pseudoTf[t];
                    postings[t].Add(item, tf * (settings.K1 + 1) / (settings.K1 + tf));
                    counts[t]++;
                    pseudoTf[t] = 0;
                }
                seen.Clear();
                _items[item] = null!;
            }

            var items = new int[termCount][];
            var values = new float[termCount][];
            for (var t = 0; t < termCount; t++)
                (items[t], values[t]) = postings[t].ToArrays();
            _terms.TrimExcess();
            return new SearchIndex(_terms, items, values, _items.Count, settings.K1);
        }

        private struct PostingList
        {
            private int[]? _items;
            private float[]? _values;
            private int _count;

            public void Add(int item, float value)
            {
                if (_items is null) { _items = new int[2]; _values = new float[2]; }
                else if (_count == _items.Length)
                {
                    Array.Resize(ref _items, _count * 2);
                    Array.Resize(ref _values, _count * 2);
                }
                _items[_count] = item;
                _values![_count++] = value;
            }

            public (int[], float[]) ToArrays()
            {
                if (_items is null) return ([], []);
                if (_count != _items.Length)
                {
                    Array.Resize(ref _items, _count);
                    Array.Resize(ref _values, _count);
                }
                return (_items, _values!);
            }
        }
    }
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
