using System.Text;
using System.Text.RegularExpressions;

namespace Knowledge.Documents;

/// <summary>
/// Splits a Vietnamese administrative document into passages along its structure (parts "I.", sections
/// "1." and "1.1.", items "a)", bullets "-" and "+") and reads its number, date, issuing body and title.
/// </summary>
internal static partial class AdministrativeDocumentParser
{
    private const int ChunkSize = 900;

    [GeneratedRegex(@"^(?<n>[IVX]{1,5})\.\s+(?<t>\S.*)$")]
    private static partial Regex PartHeading();

    [GeneratedRegex(@"^(?<n>\d{1,2}\.|\d{1,2}(?:\.\d{1,2}){1,3}\.?)\s+(?<t>\S.*)$")]
    private static partial Regex SectionHeading();

    [GeneratedRegex(@"^(?<n>[a-zđ])\)\s+(?<t>\S.*)$")]
    private static partial Regex ItemHeading();

    [GeneratedRegex(@"^#{1,6}\s+(?<t>.+)$")]
    private static partial Regex MarkdownHeading();

    [GeneratedRegex(@"^[-–•+*]\s+")]
    private static partial Regex Bullet();

    [GeneratedRegex(@"^Số\s*:?\s*(?<n>\d*)\s*/\s*(?<s>[\p{L}\d][\p{L}\d\-]*)")]
    private static partial Regex NumberLine();

    [GeneratedRegex(@"^(?<place>[^,\d]{2,40}),\s*ngày\s*(?<d>\d{0,2})\s*tháng\s*(?<m>\d{0,2})\s*năm\s*(?<y>\d{4})")]
    private static partial Regex DateLine();

    [GeneratedRegex(@"^(KẾ HOẠCH|QUYẾT ĐỊNH|THÔNG BÁO|BÁO CÁO|HƯỚNG DẪN|CÔNG VĂN|CHỈ THỊ|NGHỊ QUYẾT|CHƯƠNG TRÌNH|TỜ TRÌNH)$")]
    private static partial Regex KindLine();

    [GeneratedRegex(@"^(Căn cứ|Thực hiện|Xét|Theo|Nhằm|Để)\b")]
    private static partial Regex PreambleStart();

    private const string Bodies = @"UBND|Ủy ban nhân dân|Uỷ ban nhân dân|Ban Thường vụ Đảng ủy|Đảng ủy|Hội đồng nhân dân|HĐND|Ban Chỉ đạo";
    private const string Place = @"(?:xã|phường|thị trấn)\s+\p{Lu}\p{Ll}*(?:\s+\p{Lu}\p{Ll}*){0,3}";

    [GeneratedRegex(@"(?<body>" + Bodies + @")(?:\s+(?<place>" + Place + @"))?\s+(?:ban hành|xây dựng)\s+(?:[Kk]ế hoạch|[Qq]uyết định|[Hh]ướng dẫn|[Tt]hông báo)")]
    private static partial Regex IssuerSentence();

    [GeneratedRegex(@"^(Nơi nhận|TM\.|T/M|KT\.|\*\*T/M)")]
    private static partial Regex Closing();

    public static KnowledgeDocument Parse(string fileName, IReadOnlyList<string> rawLines)
    {
        var lines = rawLines.Select(Clean).ToList();
        var info = ReadInfo(fileName, lines);
        var chunks = new ChunkWriter(fileName, info.Citation);
        var paragraphs = JoinParagraphs(lines);
        var bodyStart = paragraphs.FindIndex(p => PartHeading().IsMatch(p) || MarkdownHeading().IsMatch(p));
        // The paragraph after the kind line ("KẾ HOẠCH") is the title, not preamble.
        var kindAt = paragraphs.FindIndex(p => KindLine().IsMatch(p));
        var preambleStart = paragraphs.FindIndex(kindAt < 0 ? 0 : kindAt + 2, p => PreambleStart().IsMatch(p));
        if (bodyStart < 0) bodyStart = Math.Max(0, preambleStart);
        if (preambleStart >= 0 && preambleStart < bodyStart)
            foreach (var paragraph in paragraphs.Skip(preambleStart).Take(bodyStart - preambleStart)) chunks.Add(paragraph);

        foreach (var paragraph in paragraphs.Skip(bodyStart))
        {
            if (Closing().IsMatch(paragraph)) break;
            if (Heading(paragraph) is { } heading) chunks.Enter(heading.Level, heading.Number, heading.Title, paragraph);
            else chunks.Add(paragraph);
        }
        return new KnowledgeDocument(info, chunks.Finish());
    }

    private static string Clean(string line)
    {
        var text = line.Replace('\u00A0', ' ').Trim().Trim('*').Trim();
        // "## II. MỤC TIÊU" or "# KẾ HOẠCH" in Markdown is the document's own structure, not a bare Markdown heading.
        if (MarkdownHeading().Match(text) is { Success: true } markdown)
        {
            var inner = markdown.Groups["t"].Value.Trim().Trim('*').Trim();
            if (PartHeading().IsMatch(inner) || SectionHeading().IsMatch(inner) || KindLine().IsMatch(inner)) return inner;
        }
        return text;
    }

    private static (int Level, string Number, string Title)? Heading(string paragraph)
    {
        if (PartHeading().Match(paragraph) is { Success: true } part) return (1, part.Groups["n"].Value, part.Groups["t"].Value);
        if (SectionHeading().Match(paragraph) is { Success: true } section)
        {
            var number = section.Groups["n"].Value.TrimEnd('.');
            return (2 + number.Count(c => c == '.'), number, section.Groups["t"].Value);
        }
        if (ItemHeading().Match(paragraph) is { Success: true } item) return (6, item.Groups["n"].Value, item.Groups["t"].Value);
        if (MarkdownHeading().Match(paragraph) is { Success: true } markdown)
            return (Math.Min(5, paragraph.IndexOf(' ')), "", markdown.Groups["t"].Value.Trim());
        return null;
    }

    /// <summary>
    /// Joins lines wrapped inside a sentence (text extracted from PDF): a line continues the paragraph
    /// when that paragraph has no closing punctuation yet and the line starts in lower case or with a digit.
    /// </summary>
    private static List<string> JoinParagraphs(List<string> lines)
    {
        var paragraphs = new List<string>();
        var current = new StringBuilder();
        foreach (var line in lines)
        {
            if (line.Length == 0) continue;
            var startsStructure = Heading(line) is not null || Bullet().IsMatch(line);
            var continues = current.Length > 0 && !startsStructure && !".:;!?".Contains(current[^1])
                && (char.IsLower(line[0]) || char.IsDigit(line[0]));
            if (!continues && current.Length > 0)
            {
                paragraphs.Add(current.ToString());
                current.Clear();
            }
            if (current.Length > 0) current.Append(' ');
            current.Append(Regex.Replace(line, @"\s+", " "));
        }
        if (current.Length > 0) paragraphs.Add(current.ToString());
        return paragraphs;
    }

    private static DocumentInfo ReadInfo(string fileName, List<string> lines)
    {
        string? number = null, date = null, kind = null, title = null, place = null;
        var head = lines.Take(60).ToList();
        for (var i = 0; i < head.Count; i++)
        {
            var line = head[i];
            if (number is null && NumberLine().Match(line) is { Success: true } n && n.Groups["n"].Length > 0)
                number = $"{n.Groups["n"].Value}/{n.Groups["s"].Value}";
            if (date is null && DateLine().Match(line) is { Success: true } d)
            {
                place = d.Groups["place"].Value.Trim();
                date = FormatDate(d.Groups["d"].Value, d.Groups["m"].Value, d.Groups["y"].Value);
            }
            if (kind is null && KindLine().IsMatch(line))
            {
                kind = char.ToUpperInvariant(line[0]) + line[1..].ToLowerInvariant();
                title = ReadTitle(head, i + 1);
            }
        }
        var text = string.Join(" ", lines.Where(l => l.Length > 0));
        return new DocumentInfo(fileName, kind ?? "Văn bản", number, date, ReadIssuer(text, place), title);
    }

    private static string? ReadTitle(List<string> lines, int start)
    {
        var title = new StringBuilder();
        for (var i = start; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Length == 0) continue;
            // The title itself may start like a preamble ("Thực hiện Quyết định số ..."), the lines after it may not.
            if (title.Length > 0 && (PreambleStart().IsMatch(line) || Heading(line) is not null)) break;
            if (title.Length > 0) title.Append(' ');
            title.Append(line);
        }
        var text = Regex.Replace(title.ToString(), @"\s+", " ").Trim();
        return text.Length == 0 ? null : text;
    }

    private static string? FormatDate(string day, string month, string year)
    {
        if (month.Length == 0) return null;
        if (day.Length == 0) return $"tháng {int.Parse(month)}/{year}";
        return $"{int.Parse(day):00}/{int.Parse(month):00}/{year}";
    }

    /// <summary>
    /// The body that issues the document, from the sentence "UBND xã X ban hành/xây dựng Kế hoạch"; when that
    /// sentence names no commune, the same body's full name elsewhere in the text, else the place of the date line.
    /// </summary>
    private static string? ReadIssuer(string text, string? place)
    {
        var sentence = IssuerSentence().Match(text);
        if (!sentence.Success) return null;
        var body = sentence.Groups["body"].Value;
        if (body.Contains("y ban nhân dân", StringComparison.Ordinal)) body = "UBND";
        if (sentence.Groups["place"].Success) return $"{body} {sentence.Groups["place"].Value}";
        var named = Regex.Match(text, Regex.Escape(sentence.Groups["body"].Value) + @"\s+(?<place>" + Place + ")");
        if (named.Success) return $"{body} {named.Groups["place"].Value}";
        return place is null ? body : $"{body} {place}";
    }

    /// <summary>Accumulates paragraphs under the current heading path and cuts them into passages.</summary>
    private sealed class ChunkWriter(string fileName, string citation)
    {
        private readonly List<DocumentChunk> _chunks = [];
        private readonly List<(int Level, string Number, string Title)> _path = [];
        private readonly StringBuilder _text = new();

        public void Enter(int level, string number, string title, string paragraph)
        {
            Flush();
            while (_path.Count > 0 && _path[^1].Level >= level) _path.RemoveAt(_path.Count - 1);
            _path.Add((level, number, title));
            _text.Append(paragraph);
        }

        public void Add(string paragraph)
        {
            // A "+" sub-bullet stays with its "-" bullet; otherwise cut before the passage grows too long.
            if (_text.Length + paragraph.Length > ChunkSize && _text.Length > 0 && !paragraph.StartsWith('+')) Flush();
            if (_text.Length > 0) _text.Append('\n');
            _text.Append(paragraph);
        }

        private void Flush()
        {
            if (_text.Length == 0) return;
            var text = _text.ToString();
            _text.Clear();
            // A bare heading ("1. Mục đích") followed directly by its subsection makes no passage.
            if (_path.Count > 0 && !text.Contains('\n') && text.Length < 80) return;
            var section = Section();
            var headings = _path.Select(p => p.Title).ToList();
            _chunks.Add(new DocumentChunk(fileName, section, headings, text,
                section.Length == 0 ? citation : $"{citation}, mục {section}"));
        }

        private string Section()
        {
            var parts = new List<string>();
            foreach (var (level, number, _) in _path)
            {
                if (number.Length == 0) continue;
                // "1.1" already holds its parent section's number.
                if (number.Contains('.') && parts.Count > 0 && char.IsDigit(parts[^1][0])) parts.RemoveAt(parts.Count - 1);
                parts.Add(number);
            }
            return string.Join(".", parts);
        }

        public List<DocumentChunk> Finish()
        {
            Flush();
            return _chunks;
        }
    }
}
