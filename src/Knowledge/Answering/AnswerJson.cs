using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Knowledge;

/// <summary>
/// The JSON shape of an answer shared by the `ask --json` CLI verb and `POST /api/ask`:
/// question, answered, faqId, score, related, citation, document, and results when asked for.
/// </summary>
public static class AnswerJson
{
    /// <summary>Keeps Vietnamese readable in the output instead of \u escapes.</summary>
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonObject ToJson(Answer answer, bool includeResults)
    {
        var json = new JsonObject
        {
            ["question"] = answer.Question,
            ["answered"] = answer.Answered,
            ["faqId"] = answer.FaqId,
            ["score"] = answer.Score,
            ["related"] = new JsonArray(answer.Related.Select(id => (JsonNode?)JsonValue.Create(id)).ToArray()),
            ["citation"] = answer.Citation,
            ["document"] = answer.Document,
        };
        if (includeResults)
            json["results"] = new JsonArray(answer.Results.Select(c => (JsonNode?)new JsonObject
            {
                ["faqId"] = c.FaqId,
                ["document"] = c.Document,
                ["citation"] = c.Citation,
                ["score"] = c.Score,
            }).ToArray());
        return json;
    }

    /// <summary>One line of JSON.</summary>
    public static string Serialize(Answer answer, bool includeResults) => ToJson(answer, includeResults).ToJsonString(Options);
}
