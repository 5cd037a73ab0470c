namespace Knowledge.Documents;

/// <summary>Turns .txt, .md, .docx and .html files into cited passages and imports them into a knowledge base.</summary>
public static class DocumentImporter
{
    public const string FolderName = "documents";

    public static IReadOnlyList<string> SupportedExtensions => DocumentReader.Extensions;

    /// <summary>Reads and splits one file; throws KnowledgeBaseException when it cannot be read.</summary>
    public static KnowledgeDocument Read(string path)
    {
        var errors = new List<KnowledgeBaseError>();
        var document = TryRead(path, Path.GetFileName(path), errors);
        return document ?? throw new KnowledgeBaseException(errors);
    }

    /// <summary>Checks that the file reads, then copies it into &lt;root&gt;/documents/ where the knowledge base loads it.</summary>
    public static KnowledgeDocument Import(string path, string root)
    {
        var document = Read(path);
        var folder = Path.Combine(root, FolderName);
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, Path.GetFileName(path));
        if (!string.Equals(Path.GetFullPath(path), Path.GetFullPath(target), StringComparison.Ordinal))
            File.Copy(path, target, overwrite: true);
        return document;
    }

    internal static List<KnowledgeDocument> LoadFolder(string root, List<KnowledgeBaseError> errors)
    {
        var folder = Path.Combine(root, FolderName);
        var documents = new List<KnowledgeDocument>();
        if (!Directory.Exists(folder)) return documents;
        foreach (var file in Directory.GetFiles(folder).Where(DocumentReader.IsSupported).Order(StringComparer.Ordinal))
            if (TryRead(file, Path.GetRelativePath(root, file).Replace('\\', '/'), errors) is { } document)
                documents.Add(document);
        return documents;
    }

    private static KnowledgeDocument? TryRead(string path, string name, List<KnowledgeBaseError> errors)
    {
        if (!DocumentReader.IsSupported(path))
        {
            errors.Add(new KnowledgeBaseError(name, 0,
                $"không hỗ trợ loại tệp này, chỉ nhận {string.Join(", ", DocumentReader.Extensions)}"));
            return null;
        }
        try
        {
            var document = AdministrativeDocumentParser.Parse(Path.GetFileName(path), DocumentReader.ReadLines(path));
            if (document.Chunks.Count == 0) errors.Add(new KnowledgeBaseError(name, 0, "tài liệu không có nội dung"));
            return document.Chunks.Count == 0 ? null : document;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException
                                      or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException or FormatException)
        {
            errors.Add(new KnowledgeBaseError(name, 0, "không đọc được tài liệu: " + e.Message));
            return null;
        }
    }
}
