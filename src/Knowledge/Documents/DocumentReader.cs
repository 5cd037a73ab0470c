using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using WordText = DocumentFormat.OpenXml.Wordprocessing.Text;

namespace Knowledge.Documents;

/// <summary>Reads the text lines of a .txt, .md, .docx or .html file.</summary>
internal static class DocumentReader
{
    public static readonly string[] Extensions = [".txt", ".md", ".docx", ".html", ".htm"];

    public static bool IsSupported(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    public static List<string> ReadLines(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".docx" => ReadDocx(path),
        ".html" or ".htm" => ReadHtml(File.ReadAllText(path)),
        _ => SplitLines(File.ReadAllText(path)),
    };

    private static List<string> SplitLines(string text) => text.ReplaceLineEndings("\n").Split('\n').ToList();

    private static List<string> ReadDocx(string path)
    {
        using var document = WordprocessingDocument.Open(path, false);
        var body = document.MainDocumentPart?.Document?.Body;
        if (body is null) return [];
        var lines = new List<string>();
        foreach (var paragraph in body.Descendants<Paragraph>())
        {
            var text = string.Concat(paragraph.Descendants<WordText>().Select(t => t.Text));
            // Word list items lose their bullet in the text; keep them recognisable as bullets.
            if (paragraph.ParagraphProperties?.NumberingProperties is not null && !string.IsNullOrWhiteSpace(text)) text = "- " + text;
            lines.Add(text);
            lines.Add("");
        }
        return lines;
    }

    private static readonly HashSet<string> BlockTags =
        ["P", "DIV", "LI", "H1", "H2", "H3", "H4", "H5", "H6", "TR", "BR", "TABLE", "UL", "OL", "SECTION", "ARTICLE", "BLOCKQUOTE", "PRE"];

    private static List<string> ReadHtml(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var text = new System.Text.StringBuilder();
        if (document.Title is { Length: > 0 } title && document.Body?.QuerySelector("h1") is null) text.Append(title).Append("\n\n");
        Walk(document.Body, text);
        return SplitLines(text.ToString());
    }

    private static void Walk(INode? node, System.Text.StringBuilder text)
    {
        if (node is null) return;
        foreach (var child in node.ChildNodes)
        {
            if (child is IText t) { text.Append(t.Data.Replace('\n', ' ')); continue; }
            if (child is not IElement element || element.TagName is "SCRIPT" or "STYLE") continue;
            var block = BlockTags.Contains(element.TagName);
            if (block) text.Append('\n');
            if (element.TagName == "LI") text.Append("- ");
            Walk(element, text);
            if (block) text.Append('\n');
        }
    }
}
