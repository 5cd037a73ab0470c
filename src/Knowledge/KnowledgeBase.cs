using Knowledge.Documents;
using Knowledge.Faq;
using Knowledge.Index;
using Knowledge.Text;

namespace Knowledge;

/// <summary>An immutable, loaded and indexed knowledge base. Load throws KnowledgeBaseException, never half-loads.</summary>
public sealed class KnowledgeBase
{
    private const int CandidatePool = 50;
    private readonly Dictionary<string, FaqEntry> _entries;
    private readonly object[] _items;
    private readonly SearchIndex _index;
    private readonly TextAnalyzer _analyzer;
    private readonly Lazy<TypoCorrector> _corrector;

    public IReadOnlyList<FaqTopic> Topics { get; }
    public IReadOnlyList<KnowledgeDocument> Documents { get; }
    public AnswerOptions Options { get; }

    private KnowledgeBase(IReadOnlyList<FaqTopic> topics, IReadOnlyList<KnowledgeDocument> documents, Abbreviations abbreviations,
        AnswerOptions options)
    {
        Topics = topics;
        Documents = documents;
        Options = options;
        _analyzer = new TextAnalyzer(abbreviations);
        _entries = new Dictionary<string, FaqEntry>(StringComparer.Ordinal);
        var items = new List<object>();
        var builder = new SearchIndex.Builder(_analyzer, options.Ranking);
        foreach (var topic in topics)
            foreach (var entry in topic.Entries)
            {
                _entries[entry.Id] = entry;
                var fields = new List<IndexedField> { new(RankingSettings.QuestionField, entry.Question) };
                fields.AddRange(entry.Alternates.Select(a => new IndexedField(RankingSettings.QuestionField, a)));
                fields.Add(new IndexedField(RankingSettings.TagsField, string.Join(", ", entry.Tags.Append(topic.Title))));
                fields.Add(new IndexedField(RankingSettings.AnswerField, entry.Answer));
                builder.Add(fields);
                items.Add(entry);
            }
        foreach (var document in documents)
            foreach (var chunk in document.Chunks)
            {
                builder.Add([new(RankingSettings.HeadingField, string.Join(" / ", chunk.Headings)), new(RankingSettings.TextField, chunk.Text)]);
                items.Add(chunk);
            }
        _items = items.ToArray();
        _index = builder.Build();
        _corrector = new Lazy<TypoCorrector>(() => new TypoCorrector(_index.FoldedVocabulary));
    }

    /// <summary>Loads faq/*.yaml, documents/ and abbreviations.yaml under <paramref name="root"/>; every error is reported at once.</summary>
    public static KnowledgeBase Load(string root, AnswerOptions? options = null)
    {
        var errors = new List<KnowledgeBaseError>();
        if (!Directory.Exists(root))
            throw new KnowledgeBaseException([new KnowledgeBaseError(root, 0, "không tìm thấy thư mục cơ sở tri thức")]);
        var abbreviations = Abbreviations.LoadMerged(Path.Combine(root, Abbreviations.FileName), errors);
        var topics = FaqLoader.Load(root, errors);
        var documents = DocumentImporter.LoadFolder(root, errors);
        if (errors.Count > 0) throw new KnowledgeBaseException(errors);
        return new KnowledgeBase(topics, documents, abbreviations, options ?? new AnswerOptions());
    }

    /// <summary>Builds a base from entries and documents already in memory (the admin store, benchmarks).</summary>
    public static KnowledgeBase Create(IReadOnlyList<FaqTopic> topics, IReadOnlyList<KnowledgeDocument> documents,
        AnswerOptions? options = null, Abbreviations? abbreviations = null) =>
        new(topics, documents, abbreviations ?? Abbreviations.BuiltIn, options ?? new AnswerOptions());

    public FaqEntry? FindEntry(string id) => _entries.GetValueOrDefault(id);

    /// <summary>Every passage the index holds, in document order.</summary>
    public IEnumerable<DocumentChunk> Chunks => Documents.SelectMany(d => d.Chunks);

    /// <param name="top">When > 0, Answer.Results holds the top K candidates whatever the decision.</param>
    public Answer Ask(string question, int top = 0)
    {
        var plan = QueryPlan.Build(question, _analyzer, _index, () => _corrector.Value, Options.Ranking);
        var ranked = Rank(plan, Math.Max(CandidatePool, top));
        if (ranked.Count == 0) return new Answer(question, false, null, 0, [], null, null, null, []);

        var best = ranked[0];
        var answered = best.Confidence >= Options.EffectiveThreshold;
        // Related questions: other FAQ entries close to the threshold; when abstaining the best entry is one of them.
        var answeredEntry = answered ? _items[best.Item] as FaqEntry : null;
        var relatedFloor = Options.EffectiveThreshold * Options.RelatedShare;
        var related = new List<string>(3);
        foreach (var candidate in ranked)
        {
            if (related.Count == 3) break;
            if (candidate.Confidence >= relatedFloor && _items[candidate.Item] is FaqEntry entry && entry != answeredEntry)
                related.Add(entry.Id);
        }

        var results = ranked.Take(top).Select(ToCandidate).ToList();
        if (!answered) return new Answer(question, false, null, Round(best.Confidence), related, null, null, null, results);
        return _items[best.Item] switch
        {
            FaqEntry entry => new Answer(question, true, entry.Id, Round(best.Confidence), related, entry.Source, null, entry.Answer, results),
            DocumentChunk chunk => new Answer(question, true, null, Round(best.Confidence), related, chunk.Citation, chunk.Document, chunk.Text, results),
            _ => throw new InvalidOperationException(),
        };
    }

    private Candidate ToCandidate(RankedItem ranked) => _items[ranked.Item] switch
    {
        FaqEntry entry => new Candidate(entry.Id, null, entry.Source, Round(ranked.Confidence)),
        DocumentChunk chunk => new Candidate(null, chunk.Document, chunk.Citation, Round(ranked.Confidence)),
        _ => throw new InvalidOperationException(),
    };

    private static double Round(float value) => Math.Round(value, 4);

    private readonly record struct RankedItem(int Item, float Confidence, float Rank);

    /// <summary>
    /// BM25F finds the candidates; the order blends each one's BM25F score relative to the best with its
    /// coverage of the question, and the confidence reported is that coverage.
    /// </summary>
    private List<RankedItem> Rank(QueryPlan plan, int count)
    {
        var ranked = new List<RankedItem>();
        if (plan.Terms.Count == 0) return ranked;
        var hits = _index.Search(plan.Terms, count);
        if (hits.Count == 0) return ranked;
        var share = Options.Ranking.CoverageInRanking;
        var bestScore = hits[0].Score;
        foreach (var hit in hits)
        {
            var coverage = plan.Coverage(hit.Concepts);
            ranked.Add(new RankedItem(hit.Item, coverage, hit.Score / bestScore * (1 - share + share * coverage)));
        }
        ranked.Sort((a, b) => b.Rank != a.Rank ? b.Rank.CompareTo(a.Rank) : a.Item.CompareTo(b.Item));
        return ranked;
    }
}

/// <param name="Threshold">Confidence (0..1, share of the question covered by the best match) under which the bot abstains; NaN = default.</param>
public sealed record AnswerOptions(double Threshold = double.NaN)
{
    public const double DefaultThreshold = 0.6;

    public double EffectiveThreshold => double.IsNaN(Threshold) ? DefaultThreshold : Threshold;

    /// <summary>Related questions need at least this share of the threshold.</summary>
    public double RelatedShare { get; init; } = 0.85;

    public RankingSettings Ranking { get; init; } = new();
}
