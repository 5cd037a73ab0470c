using System.Text.Json.Nodes;
using Knowledge;

namespace Bot.Ai;

/// <summary>One retrieved source: an FAQ entry (FaqId) or a document passage (Document and Citation), as the model sees it under Id.</summary>
public sealed record AnswerSource(string Id, string? FaqId, string? Document, string? Citation, string Title, string Text);

/// <summary>What an answer rests on: the entry or passage retrieval answered with, then the related entries it found.</summary>
public static class AnswerSources
{
    private const int MaxRelated = 2;

    /// <summary>The retrieved sources with their texts filled ({commune.*}); empty when retrieval abstained.</summary>
    public static IReadOnlyList<AnswerSource> Retrieved(Answer answer, KnowledgeBase kb, Func<string, string> fill)
    {
        if (!answer.Answered) return [];
        var sources = new List<AnswerSource> { Answering(answer, kb, fill) };
        foreach (var related in answer.Related.Select(kb.FindEntry).OfType<FaqEntry>().Take(MaxRelated))
            sources.Add(FromEntry($"S{sources.Count + 1}", related, fill));
        return sources;
    }

    /// <summary>The sources of a retrieval answer as the JSON contract names them: the answering entry or passage only.</summary>
    public static IReadOnlyList<AnswerSource> OfRetrievalAnswer(Answer answer, KnowledgeBase kb, Func<string, string> fill) =>
        answer.Answered ? [Answering(answer, kb, fill)] : [];

    private static AnswerSource Answering(Answer answer, KnowledgeBase kb, Func<string, string> fill) =>
        answer.FaqId is not null && kb.FindEntry(answer.FaqId) is { } entry
            ? FromEntry("S1", entry, fill)
            : new("S1", null, answer.Document, answer.Citation, answer.Citation ?? answer.Document ?? "", fill(answer.Text ?? ""));

    /// <summary>Adds `composed` and `sources` to the `ask --json` / `POST /api/ask` object.</summary>
    public static void AddTo(JsonObject json, ComposedAnswer composition)
    {
        json["composed"] = composition.Composed;
        json["sources"] = new JsonArray(composition.Sources.Select(s => (JsonNode)new JsonObject
        {
            ["faqId"] = s.FaqId,
            ["document"] = s.Document,
            ["citation"] = s.Citation,
        }).ToArray());
    }

    private static AnswerSource FromEntry(string id, FaqEntry entry, Func<string, string> fill)
    {
        var links = entry.Links.Count == 0 ? "" : "\n" + string.Join("\n", entry.Links.Select(l => $"{l.Title}: {l.Url}"));
        return new(id, entry.Id, null, entry.Source, entry.Question, fill(entry.Answer) + links);
    }
}
