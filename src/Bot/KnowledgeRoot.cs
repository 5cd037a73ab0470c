namespace Bot;

/// <summary>Finds the knowledge-base root: --kb, else Knowledge:Root, else "data" in the working directory or above it.</summary>
public static class KnowledgeRoot
{
    public const string DefaultFolder = "data";

    public static string Resolve(IConfiguration configuration, string? kbArgument = null)
    {
        var configured = kbArgument ?? configuration["Knowledge:Root"];
        if (!string.IsNullOrWhiteSpace(configured))
            return Path.GetFullPath(configured);

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, DefaultFolder);
                if (Directory.Exists(Path.Combine(candidate, "faq")))
                    return candidate;
            }
        }
        return Path.GetFullPath(DefaultFolder);
    }
}
