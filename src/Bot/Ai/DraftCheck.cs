using System.Text.RegularExpressions;

namespace Bot.Ai;

/// <summary>
/// Checks a model's draft before any resident sees it: it cites sources, every cited source was retrieved, and every
/// number (phone, amount, date, time, count) and link in it appears in a cited source. A figure written differently
/// from the source ("1 triệu" for "1.000.000") is refused too: the retrieval answer is the safe side.
/// </summary>
public static partial class DraftCheck
{
    public const int MaxLength = 1500;

    [GeneratedRegex(@"\[([\p{L}\p{N}_\- ,]{1,120})\](?!\()")]
    private static partial Regex CitationMarker();

    [GeneratedRegex(@"\+?\d+(?:[ .,/:\-]\d+)*")]
    private static partial Regex Number();

    // "1. Mở ứng dụng": the numbering of a list, not a fact.
    [GeneratedRegex(@"^\s*\d{1,2}[.)]\s", RegexOptions.Multiline)]
    private static partial Regex ListNumber();

    [GeneratedRegex(@"(?:https?://|www\.)[^\s<>()\[\]]+|\b(?:[a-z0-9\-]+\.)+(?:vn|com|net|org|gov|info)\b(?:/[^\s<>()\[\]]*)?", RegexOptions.IgnoreCase)]
    private static partial Regex Link();

    [GeneratedRegex(@"[ \t]+([.,;:!?])")]
    private static partial Regex SpaceBeforePunctuation();

    /// <summary>Null when the draft may be shown, else why not (for the log; never the text itself).</summary>
    public static string? Problem(string draft, IReadOnlyList<AnswerSource> retrieved, out IReadOnlyList<AnswerSource> cited)
    {
        cited = [];
        if (string.IsNullOrWhiteSpace(draft)) return "empty draft";
        if (draft.Length > MaxLength) return "draft too long";
        var ids = CitationMarker().Matches(draft)
            .SelectMany(m => m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct().ToList();
        if (ids.Count == 0) return "no source cited";
        var sources = new List<AnswerSource>();
        foreach (var id in ids)
        {
            var source = retrieved.FirstOrDefault(s => s.Id.Equals(id, StringComparison.OrdinalIgnoreCase) || s.FaqId == id);
            if (source is null) return "cites a source that was not retrieved";
            if (!sources.Contains(source)) sources.Add(source);
        }
        cited = sources;

        var text = CitationMarker().Replace(draft, " ");
        var sourceText = string.Join("\n", sources.Select(s => s.Title + "\n" + s.Text));
        var sourceNumbers = Numbers(sourceText).ToHashSet();
        foreach (var number in Numbers(ListNumber().Replace(text, "")))
            if (!sourceNumbers.Contains(number)) return "a number not in the cited sources";
        var sourceLinks = NormalizedLinkText(sourceText);
        foreach (Match link in Link().Matches(text))
            if (!sourceLinks.Contains(NormalizeLink(link.Value))) return "a link not in the cited sources";
        return null;
    }

    /// <summary>The draft as the resident reads it: markers out, the cited sources' citations named at the end.</summary>
    public static string ForResident(string draft, IReadOnlyList<AnswerSource> cited)
    {
        var text = SpaceBeforePunctuation().Replace(CitationMarker().Replace(draft, ""), "$1").Trim();
        var citations = cited.Select(s => s.Citation).OfType<string>().Distinct().ToList();
        return citations.Count == 0 ? text : $"{text}\n\n(Nguồn: {string.Join("; ", citations)})";
    }

    // Digits only, so "0912 345 678" and "0912.345.678" are the same number; a date keeps its separators' places as digits.
    private static IEnumerable<string> Numbers(string text) =>
        Number().Matches(text).Select(m => new string(m.Value.Where(char.IsDigit).ToArray()));

    private static string NormalizedLinkText(string sources) =>
        string.Join("\n", Link().Matches(sources).Select(m => NormalizeLink(m.Value)));

    private static string NormalizeLink(string link)
    {
        var l = link.ToLowerInvariant().TrimEnd('.', ',', ';', ':', '!', '?', '/', '"', '\'');
        foreach (var prefix in new[] { "https://", "http://", "www." })
            if (l.StartsWith(prefix)) l = l[prefix.Length..];
        return l.TrimEnd('/');
    }
}
