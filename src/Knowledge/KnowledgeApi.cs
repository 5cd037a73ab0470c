namespace Knowledge;

// Public surface used by src/Bot. Keep these signatures stable.

public sealed record FaqLink(string Title, string Url);

public sealed record FaqEntry(
    string Id,
    string Topic,
    string Question,
    IReadOnlyList<string> Alternates,
    string Answer,
    IReadOnlyList<string> Tags,
    IReadOnlyList<FaqLink> Links,
    string? Source);

public sealed record FaqTopic(string Id, string Title, IReadOnlyList<FaqEntry> Entries);

/// <summary>One ranked candidate: an FAQ entry (FaqId set) or a document passage (Document and Citation set).</summary>
public sealed record Candidate(string? FaqId, string? Document, string? Citation, double Score);

/// <summary>What the bot would reply. Answered is false when it abstains and hands over to staff.</summary>
public sealed record Answer(
    string Question,
    bool Answered,
    string? FaqId,
    double Score,
    IReadOnlyList<string> Related,
    string? Citation,
    string? Document,
    string? Text,
    IReadOnlyList<Candidate> Results);

public sealed record KnowledgeBaseError(string File, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}

public sealed class KnowledgeBaseException(IReadOnlyList<KnowledgeBaseError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<KnowledgeBaseError> Errors { get; } = errors;
}
