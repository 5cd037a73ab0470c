using System.Text.Encodings.Web;
using System.Text.Json;
using Knowledge;

namespace Bot.KnowledgeStore;

/// <summary>What staff edit in an entry; stored as JSON so a revision keeps the whole before and after.</summary>
public sealed record EntryContent(
    string Question,
    IReadOnlyList<string> Alternates,
    string Answer,
    IReadOnlyList<string> Tags,
    IReadOnlyList<FaqLink> Links,
    string? Source)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static EntryContent From(FaqEntry entry) =>
        new(entry.Question, entry.Alternates, entry.Answer, entry.Tags, entry.Links, entry.Source);

    public FaqEntry ToEntry(string id, string topic) => new(id, topic, Question, Alternates, Answer, Tags, Links, Source);

    /// <summary>Canonical: the same content always gives the same text, so "changed" is a string comparison.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static EntryContent FromJson(string json) => JsonSerializer.Deserialize<EntryContent>(json, Json)!;
}
