namespace Knowledge;

/// <summary>An immutable, loaded and indexed knowledge base. Load throws KnowledgeBaseException, never half-loads.</summary>
public sealed class KnowledgeBase
{
    public IReadOnlyList<FaqTopic> Topics { get; }
    private KnowledgeBase(IReadOnlyList<FaqTopic> topics) => Topics = topics;

    public static KnowledgeBase Load(string root, AnswerOptions? options = null) => throw new NotImplementedException();

    public FaqEntry? FindEntry(string id) => throw new NotImplementedException();

    /// <param name="top">When > 0, Answer.Results holds the top K candidates whatever the decision.</param>
    public Answer Ask(string question, int top = 0) => throw new NotImplementedException();
}

public sealed record AnswerOptions(double Threshold = double.NaN);
