using Knowledge;
using Knowledge.Documents;

namespace Bot.KnowledgeStore;

/// <summary>Reads an uploaded file with the same importer as `import`, through a temporary file of the same name.</summary>
public static class UploadedDocuments
{
    public const long MaxBytes = 20 * 1024 * 1024;

    public static KnowledgeDocument Parse(string fileName, byte[] content)
    {
        var folder = Directory.CreateTempSubdirectory("bot-upload-").FullName;
        try
        {
            var path = Path.Combine(folder, Path.GetFileName(fileName));
            File.WriteAllBytes(path, content);
            return DocumentImporter.Read(path);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
