using Knowledge;

namespace Bot.Conversation;

/// <summary>The knowledge base the host answers from (Knowledge:Root, Knowledge:Threshold).</summary>
public sealed class KnowledgeProvider
{
    public string Root { get; }
    public KnowledgeBase Current { get; }

    public KnowledgeProvider(IConfiguration configuration)
    {
        Root = KnowledgeRoot.Resolve(configuration);
        if (!Directory.Exists(Path.Combine(Root, "faq")))
            throw new StartupException("Knowledge:Root", $"không tìm thấy thư mục faq/ trong {Root}.");
        try
        {
            Current = KnowledgeBase.Load(Root, AnswerOptionsFrom(configuration));
        }
        catch (KnowledgeBaseException e)
        {
            throw new StartupException("Knowledge:Root", $"kho tri thức {Root} có lỗi:{Environment.NewLine}{e.Message}");
        }
    }

    private static AnswerOptions AnswerOptionsFrom(IConfiguration configuration) =>
        configuration.GetValue<double?>("Knowledge:Threshold") is { } threshold ? new AnswerOptions(threshold) : new AnswerOptions();
}
