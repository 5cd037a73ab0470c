namespace Knowledge.Tests;

internal static class Fixture
{
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    public static string KnowledgeRoot => Path("kb");

    private static readonly Lazy<KnowledgeBase> Loaded = new(() => KnowledgeBase.Load(KnowledgeRoot));

    public static KnowledgeBase KnowledgeBase => Loaded.Value;

    /// <summary>The repository's data/ folder: the shipped knowledge base, its answer model and eval sets.</summary>
    public static string RepositoryData()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(System.IO.Path.Combine(dir.FullName, "data", "faq"))) return System.IO.Path.Combine(dir.FullName, "data");
        throw new DirectoryNotFoundException("no data/faq above " + AppContext.BaseDirectory);
    }

    private static readonly Lazy<KnowledgeBase> Shipped = new(() => KnowledgeBase.Load(RepositoryData()));

    /// <summary>data/ loaded once, with its answer model.</summary>
    public static KnowledgeBase ShippedKnowledgeBase => Shipped.Value;
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
