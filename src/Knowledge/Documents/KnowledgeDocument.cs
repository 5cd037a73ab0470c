namespace Knowledge;

/// <summary>What identifies a published document: kind, number, date, issuing body and title.</summary>
public sealed record DocumentInfo(string FileName, string Kind, string? Number, string? Date, string? Issuer, string? Title)
{
    /// <summary>"Kế hoạch số 52/KH-UBND ngày 04/03/2026 của UBND xã Vĩnh Phong"; a short title stands in for a blank number.</summary>
    public string Citation
    {
        get
        {
            var text = Kind;
            if (Number is not null) text += " số " + Number;
            else if (Title is not null) text += $" \"{Shorten(Title.Replace("“", "").Replace("”", "").Replace("\"", ""), 70)}\"";
            if (Date is not null) text += (Date.StartsWith("tháng", StringComparison.Ordinal) ? " " : " ngày ") + Date;
            if (Issuer is not null) text += " của " + Issuer;
            return Number is null && Title is null && Issuer is null ? $"{Kind} ({FileName})" : text;
        }
    }

    private static string Shorten(string text, int length)
    {
        if (text.Length <= length) return text;
        var cut = text.LastIndexOf(' ', length);
        return text[..(cut > 0 ? cut : length)].TrimEnd(',', ';', ' ') + "…";
    }
}

/// <summary>A passage of a document with the path of headings it sits under (e.g. "II.2").</summary>
public sealed record DocumentChunk(string Document, string Section, IReadOnlyList<string> Headings, string Text, string Citation);

public sealed record KnowledgeDocument(DocumentInfo Info, IReadOnlyList<DocumentChunk> Chunks);
