using System.Numerics;
using Knowledge.Documents;
using Knowledge.Faq;
using Knowledge.Index;
using Knowledge.Ranking;
using Knowledge.Text;

namespace Knowledge;

/// <summary>An immutable, loaded and indexed knowledge base. Load throws KnowledgeBaseException, never half-loads.</summary>
public sealed class KnowledgeBase
{
    private const int CandidatePool = 50;
    private const float HeadingNamedBoost = 3f;
    private const float RelatedMatchFloor = 0.1f, RelatedCoverageShare = 0.75f;
    private readonly Dictionary<string, FaqEntry> _entries;
    private readonly object[] _items;
    private readonly Phrasing[][] _phrasings;
    private readonly Dictionary<string, DocumentInfo> _documentInfo;
    // FAQ entries come first in the index, as items 0 .. _faqCount - 1, and keep those numbers in _faqIndex.
    private readonly int _faqCount;
    private readonly SearchIndex _faqIndex;
    private readonly string[] _topics;
    private readonly SearchIndex _index;
    private readonly TextAnalyzer _analyzer;
    private readonly Lazy<TypoCorrector> _corrector;
    // An FAQ entry's answer and its tags with the topic title, compared with the question as its wordings are.
    private readonly Phrasing[] _answerPhrasings;
    private readonly Phrasing[] _tagPhrasings;
    private readonly QuestionKind[] _askedKinds;
    // What an FAQ entry's answer or a passage states (a fee, a time, a place, yes or no, for a child...).
    private readonly QuestionKind[] _givenKinds;
    // The folded words of an entry's answer or a passage's text, as index word numbers (a quoted run of the question).
    private readonly int[][] _answerWords;
    // Per passage (item - _faqCount): what its heading path asks, and its own heading's content words (index word numbers).
    private readonly QuestionKind[] _headingKinds;
    private readonly int[][] _headingWords;
    private readonly AnswerModel? _model;

    public IReadOnlyList<FaqTopic> Topics { get; }
    public IReadOnlyList<KnowledgeDocument> Documents { get; }
    public AnswerOptions Options { get; }

    /// <summary>The answer model this base answers with (read once from a root's answer-model.zip); pass it on to bases built alike.</summary>
    public AnswerModelFile Model { get; }

    /// <summary>Whether the learned re-ranker (answer-model.zip in the root) is used, or today's ranking as fallback.</summary>
    public AnswerModelStatus ModelStatus => Model.Status;

    private KnowledgeBase(IReadOnlyList<FaqTopic> topics, IReadOnlyList<KnowledgeDocument> documents, Abbreviations abbreviations,
        AnswerOptions options, AnswerModelFile model)
    {
        Model = model;
        _model = model.Model;
        Topics = topics;
        Documents = documents;
        Options = options;
        _analyzer = new TextAnalyzer(abbreviations);
        _entries = new Dictionary<string, FaqEntry>(StringComparer.Ordinal);
        var items = new List<object>();
        var wordings = new List<string[]>();
        var itemTopics = new List<string>();
        var answers = new List<string>();
        var tags = new List<string>();
        var builder = new SearchIndex.Builder(_analyzer, options.Ranking);
        // With documents, FAQ candidates are judged on word rarity among FAQ entries alone: plans use "xây dựng" on
        // every page, which must not make "giấy phép xây dựng" look covered by an entry that never says it.
        var faqBuilder = documents.Count > 0 ? new SearchIndex.Builder(_analyzer, options.Ranking) : null;
        foreach (var topic in topics)
            foreach (var entry in topic.Entries)
            {
                _entries[entry.Id] = entry;
                var fields = new List<IndexedField> { new(RankingSettings.QuestionField, entry.Question) };
                fields.AddRange(entry.Alternates.Select(a => new IndexedField(RankingSettings.QuestionField, a)));
                fields.Add(new IndexedField(RankingSettings.TagsField, string.Join(", ", entry.Tags.Append(topic.Title))));
                fields.Add(new IndexedField(RankingSettings.AnswerField, entry.Answer));
                builder.Add(fields);
                faqBuilder?.Add(fields);
                items.Add(entry);
                wordings.Add([entry.Question, .. entry.Alternates]);
                itemTopics.Add(topic.Id);
                answers.Add(entry.Answer);
                tags.Add(string.Join(", ", entry.Tags.Append(topic.Title)));
            }
        foreach (var document in documents)
            foreach (var chunk in document.Chunks)
            {
                builder.Add([new(RankingSettings.HeadingField, string.Join(" / ", chunk.Headings)), new(RankingSettings.TextField, chunk.Text)]);
                items.Add(chunk);
                wordings.Add([]);
                // A passage is its own subject: the lead of the best one is its margin over the next passage.
                itemTopics.Add(chunk.Citation);
            }
        _items = items.ToArray();
        _topics = itemTopics.ToArray();
        _index = builder.Build();
        _faqCount = items.Count(item => item is FaqEntry);
        _faqIndex = faqBuilder?.Build() ?? _index;
        // Passages get theirs when weighed (PhrasingsOf): kept for 100,000 passages they would outweigh the index.
        _phrasings = wordings.Select(texts => texts.Select(text => new Phrasing(text, _analyzer, _faqIndex)).ToArray()).ToArray();
        _documentInfo = documents.DistinctBy(d => d.Info.FileName).ToDictionary(d => d.Info.FileName, d => d.Info);
        _askedKinds = _phrasings.Select(p => p.Aggregate(QuestionKind.None, (kind, phrasing) => kind | phrasing.Kind)).ToArray();
        // Passages are tokenised here once, not at every question that weighs them.
        var chunks = documents.SelectMany(d => d.Chunks).ToList();
        _givenKinds = new QuestionKind[items.Count];
        _answerWords = new int[items.Count][];
        _headingKinds = new QuestionKind[chunks.Count];
        _headingWords = new int[chunks.Count][];
        // On every core: 100,000 passages take seconds on one.
        Parallel.For(0, items.Count, i =>
        {
            var tokens = _analyzer.Analyze(i < _faqCount ? answers[i] : chunks[i - _faqCount].Text);
            _givenKinds[i] = QuestionKinds.GivenBy(tokens);
            _answerWords[i] = tokens.Select(t => WordNumber(t.Folded)).ToArray();
            if (i < _faqCount) return;
            var chunk = chunks[i - _faqCount];
            _headingKinds[i - _faqCount] = QuestionKinds.Of(_analyzer.Analyze(string.Join(" ", chunk.Headings)));
            _headingWords[i - _faqCount] = chunk.Headings.Count == 0 ? []
                : _analyzer.Analyze(chunk.Headings[^1]).Where(t => !StopWords.Contains(t)).Select(t => WordNumber(t.Folded)).Distinct().ToArray();
        });
        _answerPhrasings = answers.Select(text => new Phrasing(text, _analyzer, _faqIndex)).ToArray();
        _tagPhrasings = tags.Select(text => new Phrasing(text, _analyzer, _faqIndex)).ToArray();
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
        return new KnowledgeBase(topics, documents, abbreviations, options ?? new AnswerOptions(), AnswerModel.Load(root));
    }

    /// <summary>Builds a base from entries and documents already in memory (the admin store, benchmarks).</summary>
    /// <param name="model">The answer model to use (<see cref="AnswerModelFile.Load"/>, or another base's <see cref="Model"/>); none: today's ranking.</param>
    public static KnowledgeBase Create(IReadOnlyList<FaqTopic> topics, IReadOnlyList<KnowledgeDocument> documents,
        AnswerOptions? options = null, Abbreviations? abbreviations = null, AnswerModelFile? model = null) =>
        new(topics, documents, abbreviations ?? Abbreviations.BuiltIn, options ?? new AnswerOptions(), model ?? AnswerModelFile.Missing);

    /// <summary>Other FAQ topics with this base's documents, abbreviations and options, without a model (fitting).</summary>
    internal KnowledgeBase WithTopics(IReadOnlyList<FaqTopic> topics) =>
        new(topics, Documents, _analyzer.Abbreviations, Options, AnswerModelFile.Missing);

    /// <summary>The same entries and documents answered with another model (null: today's ranking); for fitting and benchmarks.</summary>
    internal KnowledgeBase WithModel(AnswerModel? model) =>
        new(Topics, Documents, _analyzer.Abbreviations, Options, model is null ? AnswerModelFile.Missing : new AnswerModelFile(AnswerModelStatus.Loaded, model));

    public FaqEntry? FindEntry(string id) => _entries.GetValueOrDefault(id);

    /// <summary>Every passage the index holds, in document order.</summary>
    public IEnumerable<DocumentChunk> Chunks => Documents.SelectMany(d => d.Chunks);

    /// <param name="top">When > 0, Answer.Results holds the top K candidates whatever the decision.</param>
    public Answer Ask(string question, int top = 0)
    {
        var ranked = Rank(question, top);
        if (ranked.Count == 0) return new Answer(question, false, null, 0, [], null, null, null, []);

        var best = ranked[0];
        var answered = best.Confidence >= Options.EffectiveThreshold;
        // Related questions: other FAQ entries that match the question fairly (when abstaining the best entry is one of
        // them). A calibrated probability is low for every candidate but the best, so the hand-fitted match orders them:
        // those above a floor, or holding a good share of the question's words next to the best-covering candidate.
        var answeredEntry = answered ? _items[best.Item] as FaqEntry : null;
        var weighed = ranked.TakeWhile(r => r.Features is not null).ToList();
        var coverageFloor = Math.Max(Options.RelatedCoverage, RelatedCoverageShare * weighed.Select(r => r.Coverage).DefaultIfEmpty(0).Max());
        var related = weighed
            .Where(r => _items[r.Item] is FaqEntry entry && entry != answeredEntry
                && r.Coverage >= Options.RelatedCoverage && (r.Match >= RelatedMatchFloor || r.Coverage >= coverageFloor))
            .OrderByDescending(r => r.Match).Take(3).Select(r => ((FaqEntry)_items[r.Item]).Id).ToList();

        var results = ranked.Take(top).Select(ToCandidate).ToList();
        if (!answered) return new Answer(question, false, null, Round(best.Confidence), related, null, null, null, results);
        return _items[best.Item] switch
        {
            FaqEntry entry => new Answer(question, true, entry.Id, Round(best.Confidence), related, entry.Source, null, entry.Answer, results),
            DocumentChunk chunk => new Answer(question, true, null, Round(best.Confidence), related, chunk.Citation, chunk.Document, chunk.Text, results),
            _ => throw new InvalidOperationException(),
        };
    }

    /// <summary>The weighed candidates (entries or passages) with their features, in lexical order: what the re-ranker learns from.</summary>
    internal IReadOnlyList<(object Item, float[] Features)> Weigh(string question) =>
        Rank(question, 0, rerank: false).Where(r => r.Features is not null).Select(r => (_items[r.Item], r.Features!)).ToList();

    private Candidate ToCandidate(RankedItem ranked) => _items[ranked.Item] switch
    {
        FaqEntry entry => new Candidate(entry.Id, null, entry.Source, Round(ranked.Confidence)),
        DocumentChunk chunk => new Candidate(null, chunk.Document, chunk.Citation, Round(ranked.Confidence)),
        _ => throw new InvalidOperationException(),
    };

    private static double Round(float value) => Math.Round(value, 4);

    // Match: the hand-fitted confidence (ConfidenceModel), how well the candidate matches the question; it picks the
    // related questions. Confidence: the answer model's probability that the candidate is the answer (Match without a model).
    private readonly record struct RankedItem(int Item, float Confidence, float Rank, float Bm25, float Coverage, float[]? Features, float Match = 0);

    /// <summary>
    /// BM25F finds the candidates; the order blends each one's BM25F score relative to the best with its
    /// coverage of the question. The first few are then weighed on their features: with a model, re-ordered by
    /// the probability it gives each of being the right answer, which is the confidence; without one, the
    /// hand-fitted ConfidenceModel gives the confidence and the lexical order stays.
    /// </summary>
    private List<RankedItem> Rank(string question, int top, bool rerank = true)
    {
        var plan = QueryPlan.Build(question, _analyzer, _index, () => _corrector.Value, Options.Ranking);
        var ranked = new List<RankedItem>();
        if (plan.Terms.Count == 0) return ranked;
        var hits = _index.Search(plan.Terms, Math.Max(CandidatePool, top));
        if (hits.Count == 0) return ranked;
        var share = Options.Ranking.CoverageInRanking;
        var bestScore = hits[0].Score;
        var faqPlan = plan;
        Dictionary<int, ulong>? faqConcepts = null;
        if (_faqIndex != _index)
        {
            faqPlan = QueryPlan.Build(question, _analyzer, _faqIndex, () => _corrector.Value, Options.Ranking);
            faqConcepts = _faqIndex.Search(faqPlan.Terms, Math.Max(CandidatePool, top)).ToDictionary(h => h.Item, h => h.Concepts);
        }
        foreach (var hit in hits)
        {
            var coverage = faqConcepts is null || hit.Item >= _faqCount ? plan.Coverage(hit.Concepts)
                : faqConcepts.TryGetValue(hit.Item, out var concepts) ? faqPlan.Coverage(concepts) : 0;
            var rank = hit.Score / bestScore * (1 - share + share * coverage);
            // "Công an xã được giao nhiệm vụ gì…" names the section "Công an xã": the plan's general wording
            // ("kế hoạch", "tuyên truyền") must not bury the passage whose own heading the resident asked about.
            if (hit.Item >= _faqCount && NamesHeading(_headingWords[hit.Item - _faqCount], plan))
                rank *= HeadingNamedBoost;
            ranked.Add(new RankedItem(hit.Item, 0, rank, hit.Score / bestScore, coverage, null));
        }
        ranked.Sort((a, b) => b.Rank != a.Rank ? b.Rank.CompareTo(a.Rank) : a.Item.CompareTo(b.Item));

        var tokens = _analyzer.Analyze(question);
        var kinds = QuestionKinds.Of(tokens);
        var information = kinds & QuestionKind.Information;
        var hasDiacritics = tokens.Any(t => t.HasMarks) ? 1 : 0;
        var questionWords = tokens.Select(t => WordNumber(t.Folded)).ToArray();
        var contentWords = plan.Concepts.Count(c => !c.IsPair);
        var weighed = Math.Min(ranked.Count, Math.Max(Options.Ranking.WeighedCandidates, top));
        var bestFaq = ranked.Take(weighed).Where(r => r.Item < _faqCount).Select(r => r.Rank).DefaultIfEmpty(0).Max();
        var bestPassage = ranked.Take(weighed).Where(r => r.Item >= _faqCount).Select(r => r.Rank).DefaultIfEmpty(0).Max();
        // Question words and asked kinds that some weighed candidate holds: what none holds is a need no entry covers.
        var heldByAny = new HashSet<string>(StringComparer.Ordinal);
        var metByAny = QuestionKind.None;
        for (var i = 0; i < weighed; i++)
        {
            var candidate = ranked[i];
            float phrasingCoverage = 0, phrasingRecall = 0;
            var phrasings = PhrasingsOf(candidate.Item);
            var candidatePlan = candidate.Item < _faqCount ? faqPlan : plan;
            foreach (var phrasing in phrasings)
            {
                phrasingCoverage = Math.Max(phrasingCoverage, phrasing.Covers(candidatePlan));
                phrasingRecall = Math.Max(phrasingRecall, phrasing.CoveredBy(candidatePlan));
            }
            var x = new float[CandidateFeatures.Count];
            x[CandidateFeatures.Coverage] = candidate.Coverage;
            x[CandidateFeatures.PhrasingCoverage] = phrasingCoverage;
            x[CandidateFeatures.PhrasingRecall] = phrasingRecall;
            x[CandidateFeatures.Lead] = candidate.Rank - BestOfOtherTopics(ranked, weighed, _topics[candidate.Item]);
            var isPassage = candidate.Item >= _faqCount;
            // A passage's heading names a subject, not a question: it may give any piece of information about it.
            x[CandidateFeatures.UnaskedIntent] = (information & ~(isPassage ? QuestionKind.Information : _askedKinds[candidate.Item])) != 0 ? 1 : 0;
            x[CandidateFeatures.WordsOutside] = ShareOfWordsOutside(candidatePlan, phrasings);
            var confidence = ConfidenceModel.Probability(x);
            if (_model is null && rerank)
            {
                ranked[i] = candidate with { Confidence = confidence, Match = confidence, Features = x };
                continue;
            }
            var candidateKinds = isPassage ? _headingKinds[candidate.Item - _faqCount] : _askedKinds[candidate.Item];
            var given = _givenKinds[candidate.Item];
            var text = _answerWords[candidate.Item];
            x[CandidateFeatures.Position] = i;
            x[CandidateFeatures.RelativeRank] = candidate.Rank / ranked[0].Rank;
            x[CandidateFeatures.GapToNext] = i + 1 < ranked.Count ? (candidate.Rank - ranked[i + 1].Rank) / ranked[0].Rank : candidate.Rank / ranked[0].Rank;
            x[CandidateFeatures.RelativeBm25] = candidate.Bm25;
            // A passage's text is what the index matched: its coverage already says how much of the question it holds.
            x[CandidateFeatures.AnswerCoverage] = isPassage ? candidate.Coverage : _answerPhrasings[candidate.Item].Covers(candidatePlan);
            x[CandidateFeatures.TagsCoverage] = isPassage ? 0 : _tagPhrasings[candidate.Item].Covers(candidatePlan);
            x[CandidateFeatures.HasDiacritics] = hasDiacritics;
            x[CandidateFeatures.ContentWords] = Math.Min(contentWords, 20) / 20f;
            x[CandidateFeatures.IsPassage] = isPassage ? 1 : 0;
            x[CandidateFeatures.IntentMatch] = (information & (isPassage ? QuestionKind.None : candidateKinds)) != 0 ? 1 : 0;
            x[CandidateFeatures.IntentAsked] = information != QuestionKind.None ? 1 : 0;
            x[CandidateFeatures.KindsAsked] = (kinds & ~QuestionKind.Information) != QuestionKind.None ? 1 : 0;
            for (var k = 0; k < QuestionKinds.Count; k++)
            {
                x[CandidateFeatures.QuestionKindBase + k] = ((int)kinds & (1 << k)) != 0 ? 1 : 0;
                x[CandidateFeatures.CandidateKindBase + k] = ((int)candidateKinds & (1 << k)) != 0 ? 1 : 0;
                x[CandidateFeatures.GivenKindBase + k] = ((int)given & (1 << k)) != 0 ? 1 : 0;
            }
            // "có mất tiền không" of an entry whose answer names no fee; "ông nội 90 tuổi" of the entry on a child's card.
            x[CandidateFeatures.SpecificUnmet] = BitOperations.PopCount((uint)(kinds & QuestionKind.Specific & ~(candidateKinds | given)));
            // "… có tốn tiền không" asked of the entry whose own wordings ask about the fee, not of one whose answer mentions it.
            x[CandidateFeatures.SpecificAskedAlike] = BitOperations.PopCount((uint)(kinds & QuestionKind.Specific & candidateKinds));
            metByAny |= candidateKinds | given;
            x[CandidateFeatures.AudienceMismatch] = OtherAudience(kinds, candidateKinds | given) ? 1 : 0;
            // "khám trái tuyến", "kết hôn với người nước ngoài": words of the question the candidate never says anywhere.
            var (missingShare, rarestMissing) = MissingAnywhere(candidatePlan, phrasings, isPassage ? null : candidate.Item, text, heldByAny);
            x[CandidateFeatures.MissingAnywhere] = missingShare;
            x[CandidateFeatures.RarestMissing] = rarestMissing;
            // A phrase quoted from a plan's section, or an answer's own words: the longest run of the question found as is.
            x[CandidateFeatures.VerbatimRun] = questionWords.Length == 0 ? 0 : (float)LongestCommonRun(questionWords, text) / questionWords.Length;
            x[CandidateFeatures.FaqLead] = candidate.Rank - (isPassage ? bestFaq : bestPassage);
            x[CandidateFeatures.HeadingRecall] = isPassage && phrasings.Length > 1 ? phrasings[^1].CoveredBy(plan) : phrasingRecall;
            ranked[i] = candidate with { Confidence = confidence, Match = confidence, Features = x };
        }
        if (weighed > 0 && (_model is not null || !rerank))
        {
            // "thẻ đảng viên", "khám trái tuyến": the rarest question word that no candidate holds anywhere.
            var (_, rarestUnheld) = Missing(plan, concept => heldByAny.Contains(concept.Text));
            var unmetByAll = BitOperations.PopCount((uint)(kinds & QuestionKind.Specific & ~metByAny));
            for (var i = 0; i < weighed; i++)
            {
                ranked[i].Features![CandidateFeatures.RarestHeldByNone] = rarestUnheld;
                ranked[i].Features![CandidateFeatures.SpecificUnmetByAll] = unmetByAll;
            }
        }
        if (_model is not null && rerank && weighed > 0)
        {
            // The re-ranker's score becomes the order of the weighed candidates; its probability their confidence.
            var (scores, probabilities) = _model.Score(ranked.Take(weighed).Select(r => r.Features!).ToList());
            for (var i = 0; i < weighed; i++) ranked[i] = ranked[i] with { Confidence = probabilities[i], Rank = scores[i] };
            // The probability decides (it reads the ranker's score and the candidate's features); the score breaks ties.
            ranked.Sort(0, weighed, Comparer<RankedItem>.Create((a, b) => b.Confidence != a.Confidence ? b.Confidence.CompareTo(a.Confidence)
                : b.Rank != a.Rank ? b.Rank.CompareTo(a.Rank) : a.Item.CompareTo(b.Item)));
        }
        return ranked;
    }

    /// <summary>
    /// Rarity-weighted share of the question's content words that the candidate holds nowhere (wordings, answer and
    /// tags of an entry; heading and text of a passage), and the weight of the rarest of them next to the question's rarest.
    /// </summary>
    private (float Share, float Rarest) MissingAnywhere(QueryPlan plan, Phrasing[] wordings, int? entry, int[] text, HashSet<string> heldByAny) =>
        Missing(plan, concept =>
        {
            var held = IsInAny(wordings, concept) || (entry is { } e
                ? _answerPhrasings[e].Contains(concept) || _tagPhrasings[e].Contains(concept)
                : Array.IndexOf(text, concept.Key >= 0 ? (int)concept.Key : UnknownWord) >= 0);
            if (held) heldByAny.Add(concept.Text);
            return held;
        });

    /// <summary>Rarity-weighted share of the question's content words not held, and the rarest of them next to the question's rarest.</summary>
    private static (float Share, float Rarest) Missing(QueryPlan plan, Func<QueryConcept, bool> held)
    {
        float total = 0, missing = 0, rarest = 0, rarestMissing = 0;
        for (var i = 0; i < plan.Concepts.Count && i < QueryPlan.MaxConcepts; i++)
        {
            var concept = plan.Concepts[i];
            if (concept.IsPair) continue;
            total += concept.Weight;
            rarest = Math.Max(rarest, concept.Weight);
            if (held(concept)) continue;
            missing += concept.Weight;
            rarestMissing = Math.Max(rarestMissing, concept.Weight);
        }
        return total == 0 ? (0, 0) : (missing / total, rarestMissing / rarest);
    }

    /// <summary>Length of the longest run of consecutive words the two sequences share.</summary>
    private static int LongestCommonRun(int[] question, int[] text)
    {
        var previous = new int[question.Length + 1];
        var current = new int[question.Length + 1];
        var best = 0;
        foreach (var word in text)
        {
            for (var i = 1; i <= question.Length; i++)
            {
                current[i] = question[i - 1] == word && word != UnknownWord ? previous[i - 1] + 1 : 0;
                best = Math.Max(best, current[i]);
            }
            (previous, current) = (current, previous);
        }
        return best;
    }

    /// <summary>The question is about a child (or an elderly person) and the candidate speaks of the other, not of them.</summary>
    private static bool OtherAudience(QuestionKind asked, QuestionKind candidate)
    {
        const QuestionKind audiences = QuestionKind.Child | QuestionKind.Elderly;
        var askedAudience = asked & audiences;
        return askedAudience != QuestionKind.None && (candidate & askedAudience) == QuestionKind.None && (candidate & audiences) != QuestionKind.None;
    }

    private const int UnknownWord = -1;

    /// <summary>A folded word's number in the index (every word of an answer, passage or heading has one), or UnknownWord.</summary>
    private int WordNumber(string folded) => _index.TryFolded(folded, out var number) ? number : UnknownWord;

    /// <summary>
    /// The wordings a candidate is compared with: an entry's question and alternates; for a passage, its document's
    /// kind, number, issuer and title and its heading path ("What does the commune police do in the plan for Resolution 57?" names
    /// the document and the section: both are what the passage is about).
    /// </summary>
    private Phrasing[] PhrasingsOf(int item) => _items[item] switch
    {
        DocumentChunk chunk => [
            // Its number and issuer too: "Kế hoạch số 52/KH-UBND của xã Vĩnh Phong" names the plan every section belongs to.
            new Phrasing(_documentInfo.TryGetValue(chunk.Document, out var info)
                ? $"{info.Kind} {info.Number} {info.Issuer} {info.Title} {string.Join(" ", chunk.Headings)}"
                : string.Join(" ", chunk.Headings), _analyzer, _index),
            // The section's own name, which a question may use whole.
            .. chunk.Headings.Count > 0 ? [new Phrasing(chunk.Headings[^1], _analyzer, _index)] : Array.Empty<Phrasing>()],
        _ => _phrasings[item],
    };

    /// <summary>Every content word of the passage's own heading is in the question (and the heading has some).</summary>
    private bool NamesHeading(int[] headingWords, QueryPlan plan)
    {
        if (headingWords.Length == 0) return false;
        foreach (var word in headingWords)
            if (word == UnknownWord || !plan.WordNumbers.Contains(word)) return false;
        return true;
    }

    /// <summary>
    /// Share of the question's content words that none of the candidate's wordings (questions and alternates, or a
    /// passage's heading) contains. Not weighted by rarity: in a small base "tăng" or "năm" are common, yet
    /// "lương hưu năm nay có tăng không" is not what an entry about receiving a pension through a bank asks.
    /// </summary>
    private static float ShareOfWordsOutside(QueryPlan plan, Phrasing[] wordings)
    {
        int words = 0, outside = 0;
        for (var i = 0; i < plan.Concepts.Count && i < QueryPlan.MaxConcepts; i++)
        {
            var concept = plan.Concepts[i];
            if (concept.IsPair) continue;
            words++;
            if (!IsInAny(wordings, concept)) outside++;
        }
        // A question of fillers only asks nothing a candidate holds.
        return words == 0 ? 1 : (float)outside / words;
    }

    private static bool IsInAny(Phrasing[] wordings, QueryConcept concept)
    {
        foreach (var wording in wordings)
            if (wording.Contains(concept)) return true;
        return false;
    }

    private float BestOfOtherTopics(List<RankedItem> ranked, int count, string topic)
    {
        for (var i = 0; i < count; i++)
            if (_topics[ranked[i].Item] != topic) return ranked[i].Rank;
        return 0;
    }
}

/// <param name="Threshold">Confidence (0..1, the model's probability that the best match is right) under which the bot abstains; NaN = default.</param>
public sealed record AnswerOptions(double Threshold = double.NaN)
{
    public const double DefaultThreshold = 0.6;

    public double EffectiveThreshold => double.IsNaN(Threshold) ? DefaultThreshold : Threshold;

    /// <summary>Related questions hold at least this rarity-weighted share of the question's words.</summary>
    public double RelatedCoverage { get; init; } = 0.2;

    public RankingSettings Ranking { get; init; } = new();
}
