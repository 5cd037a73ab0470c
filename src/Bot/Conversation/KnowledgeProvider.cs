using Bot.KnowledgeStore;
using Bot.Storage;
using Knowledge;
using Knowledge.Documents;
using Knowledge.Ranking;
using Knowledge.Text;
using Microsoft.EntityFrameworkCore;

namespace Bot.Conversation;

/// <summary>
/// The knowledge base the host answers from: the FAQ entries and documents of the shared store in the database
/// (one for every node), rebuilt whenever the store's revision moves. The files under Knowledge:Root are this
/// release's default: merged into the store at start-up and whenever a file is saved (see <see cref="ReleaseSync"/>).
/// </summary>
public sealed class KnowledgeProvider(KnowledgeOptions options, IServiceScopeFactory scopes, ILogger<KnowledgeProvider> logger) : IDisposable
{
    private readonly SemaphoreSlim refreshing = new(1, 1);
    private readonly Dictionary<long, KnowledgeDocument> parsedUploads = [];
    private LiveKnowledgeBase? shipped;
    private KnowledgeBase? current;
    private long revision = -1;
    private AnswerModelFile? builtWithModel;

    public string Root { get; } = options.ResolveRoot();
    public AnswerOptions Options { get; } = options.AnswerOptions;
    public Abbreviations Abbreviations { get; private set; } = Abbreviations.BuiltIn;

    public KnowledgeBase Current => Volatile.Read(ref current) ?? throw new InvalidOperationException("The knowledge base is not loaded yet.");

    /// <summary>This release's knowledge base, from the files.</summary>
    public KnowledgeBase Shipped => shipped?.Current ?? throw new InvalidOperationException("The knowledge base is not loaded yet.");

    /// <summary>Loads the files (a broken file stops start-up), merges them into the store and builds the base.</summary>
    public async Task LoadAsync(CancellationToken ct)
    {
        if (!Directory.Exists(Path.Combine(Root, "faq")))
            throw new StartupException("Knowledge:Root", $"không tìm thấy thư mục faq/ trong {Root}.");
        try
        {
            shipped = new LiveKnowledgeBase(Root, Options);
        }
        catch (KnowledgeBaseException e)
        {
            throw new StartupException("Knowledge:Root", $"kho tri thức {Root} có lỗi:{Environment.NewLine}{e.Message}");
        }
        var errors = new List<KnowledgeBaseError>();
        Abbreviations = Abbreviations.LoadMerged(Path.Combine(Root, Abbreviations.FileName), errors);
        var changed = await ReleaseSync.ApplyAsync(scopes, shipped.Current.Topics, ct);
        if (changed > 0) logger.LogInformation("Release knowledge base merged into the store: {Changed} entries changed", changed);
        await RefreshAsync(ct);
        shipped.Reloaded += kb => _ = MergeEditedFilesAsync(kb);
        shipped.ReloadFailed += e => logger.LogError("Knowledge base file edit refused, the store keeps the last good version:{NewLine}{Errors}",
            Environment.NewLine, e.Message);
        logger.LogInformation("Knowledge base {Root}: {Entries} FAQ entries in {Topics} topics, {Documents} documents",
            Root, Current.Topics.Sum(t => t.Entries.Count), Current.Topics.Count, Current.Documents.Count);
    }

    private async Task MergeEditedFilesAsync(KnowledgeBase files)
    {
        try
        {
            await ReleaseSync.ApplyAsync(scopes, files.Topics, CancellationToken.None);
            await RefreshAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Merging the edited knowledge-base files into the store failed");
        }
    }

    /// <summary>Rebuilds from the store when its revision moved since the last build; cheap when it did not.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        await refreshing.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            var latest = await StoreRevision.ReadAsync(db, ct);
            // A refitted answer-model.zip (read by the release's live base) is taken up too.
            var model = Shipped.Model;
            if (latest == revision && model == builtWithModel) return;
            var topics = await ReadTopicsAsync(db, ct);
            var documents = await ReadDocumentsAsync(db, ct);
            Volatile.Write(ref current, Build(topics, documents, model));
            revision = latest;
            builtWithModel = model;
            logger.LogInformation("Knowledge base rebuilt at store revision {Revision}", latest);
        }
        finally
        {
            refreshing.Release();
        }
    }

    /// <summary>
    /// A base over the given entries and documents, with this host's options, abbreviations and the release's answer
    /// model (the "try it" drafts): the model is the one the live base read once from its file, never read again here.
    /// </summary>
    public KnowledgeBase Build(IReadOnlyList<FaqTopic> topics, IReadOnlyList<KnowledgeDocument> documents) =>
        Build(topics, documents, Shipped.Model);

    private KnowledgeBase Build(IReadOnlyList<FaqTopic> topics, IReadOnlyList<KnowledgeDocument> documents, AnswerModelFile model) =>
        KnowledgeBase.Create(topics, documents, Options, Abbreviations, model);

    private static async Task<List<FaqTopic>> ReadTopicsAsync(BotDbContext db, CancellationToken ct)
    {
        var topics = await db.FaqTopics.AsNoTracking().OrderBy(t => t.Position).ThenBy(t => t.Id).ToListAsync(ct);
        var entries = await db.FaqEntries.AsNoTracking().Where(e => !e.Retired).OrderBy(e => e.Id).ToListAsync(ct);
        var byTopic = entries.ToLookup(e => e.Topic);
        return topics.Select(t => new FaqTopic(t.Id, t.Title,
            byTopic[t.Id].Select(e => EntryContent.FromJson(e.Content).ToEntry(e.Id, t.Id)).ToList())).ToList();
    }

    /// <summary>The release's documents, then the uploaded ones (each parsed once per node).</summary>
    private async Task<List<KnowledgeDocument>> ReadDocumentsAsync(BotDbContext db, CancellationToken ct)
    {
        var documents = new List<KnowledgeDocument>(Shipped.Documents);
        var uploads = await db.KnowledgeDocuments.AsNoTracking().OrderBy(d => d.Id).ToListAsync(ct);
        foreach (var upload in uploads)
        {
            if (!parsedUploads.TryGetValue(upload.Id, out var document))
            {
                try
                {
                    document = UploadedDocuments.Parse(upload.FileName, Convert.FromBase64String(upload.Content));
                }
                catch (KnowledgeBaseException e)
                {
                    logger.LogError("Stored document {File} cannot be read and is left out: {Error}", upload.FileName, e.Message);
                    continue;
                }
                parsedUploads[upload.Id] = document;
            }
            documents.Add(document);
        }
        foreach (var gone in parsedUploads.Keys.Except(uploads.Select(u => u.Id)).ToList()) parsedUploads.Remove(gone);
        return documents;
    }

    public void Dispose()
    {
        shipped?.Dispose();
        refreshing.Dispose();
    }
}

/// <summary>Every node polls the store's revision and rebuilds when another node changed it.</summary>
public sealed class KnowledgeSync(KnowledgeProvider knowledge, ILogger<KnowledgeSync> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(Interval, stoppingToken).ContinueWith(_ => { });
            if (stoppingToken.IsCancellationRequested) return;
            try { await knowledge.RefreshAsync(stoppingToken); }
            catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Knowledge store poll failed"); }
        }
    }
}
