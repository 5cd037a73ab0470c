using Knowledge;

namespace Bot.Conversation;

/// <summary>The knowledge base the host answers from (Knowledge:Root, Knowledge:Threshold), reloaded when its files change.</summary>
public sealed class KnowledgeProvider : IDisposable
{
    private readonly LiveKnowledgeBase live;
    public string Root { get; }
    public KnowledgeBase Current => live.Current;

    public KnowledgeProvider(IConfiguration configuration, ILogger<KnowledgeProvider> logger)
    {
        Root = KnowledgeRoot.Resolve(configuration);
        if (!Directory.Exists(Path.Combine(Root, "faq")))
            throw new StartupException("Knowledge:Root", $"không tìm thấy thư mục faq/ trong {Root}.");
        try
        {
            live = new LiveKnowledgeBase(Root, AnswerOptionsFrom(configuration));
        }
        catch (KnowledgeBaseException e)
        {
            throw new StartupException("Knowledge:Root", $"kho tri thức {Root} có lỗi:{Environment.NewLine}{e.Message}");
        }
        live.Reloaded += kb => logger.LogInformation("Knowledge base reloaded: {Topics} topics", kb.Topics.Count);
        live.ReloadFailed += e => logger.LogError("Knowledge base edit refused, still answering from the last good version:{NewLine}{Errors}",
            Environment.NewLine, e.Message);
        logger.LogInformation("Knowledge base {Root}: {Entries} FAQ entries in {Topics} topics",
            Root, live.Current.Topics.Sum(t => t.Entries.Count), live.Current.Topics.Count);
    }

    private static AnswerOptions AnswerOptionsFrom(IConfiguration configuration) =>
        configuration.GetValue<double?>("Knowledge:Threshold") is { } threshold ? new AnswerOptions(threshold) : new AnswerOptions();

    public void Dispose() => live.Dispose();
}
