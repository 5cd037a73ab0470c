namespace Knowledge.Tests;

internal static class Fixture
{
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    public static string KnowledgeRoot => Path("kb");

    private static readonly Lazy<KnowledgeBase> Loaded = new(() => KnowledgeBase.Load(KnowledgeRoot));

    public static KnowledgeBase KnowledgeBase => Loaded.Value;
}

/// <summary>A scratch knowledge-base folder deleted after the test.</summary>
internal sealed class TempKnowledgeBase : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("kb-test-").FullName;

    public TempKnowledgeBase() => Directory.CreateDirectory(System.IO.Path.Combine(Root, "faq"));

    public string Write(string relativePath, string content)
    {
        var path = System.IO.Path.Combine(Root, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
