using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Knowledge.Text;

/// <summary>
/// Abbreviations and teencode (ko, dc, mk, cccd...) mapped to their full words. The built-in list is
/// data/abbreviations.yaml embedded in the assembly; a knowledge base's own abbreviations.yaml overrides it.
/// </summary>
public sealed class Abbreviations
{
    public const string FileName = "abbreviations.yaml";
    private readonly Dictionary<string, Token[]> _map;

    private Abbreviations(Dictionary<string, Token[]> map) => _map = map;

    public static Abbreviations BuiltIn { get; } = LoadBuiltIn();

    internal bool TryExpand(string accentedToken, out Token[] expansion) => _map.TryGetValue(accentedToken, out expansion!);

    /// <summary>The built-in list merged with the given file when it exists; errors are added to <paramref name="errors"/>.</summary>
    public static Abbreviations LoadMerged(string file, List<KnowledgeBaseError> errors)
    {
        if (!File.Exists(file)) return BuiltIn;
        var map = new Dictionary<string, Token[]>(BuiltIn._map);
        using var reader = new StreamReader(file);
        Parse(reader, Path.GetFileName(file), map, errors);
        return new Abbreviations(map);
    }

    private static Abbreviations LoadBuiltIn()
    {
        using var stream = typeof(Abbreviations).Assembly.GetManifestResourceStream("Knowledge.abbreviations.yaml")
            ?? throw new InvalidOperationException("The built-in abbreviations resource is missing.");
        using var reader = new StreamReader(stream);
        var map = new Dictionary<string, Token[]>(StringComparer.Ordinal);
        var errors = new List<KnowledgeBaseError>();
        Parse(reader, "built-in " + FileName, map, errors);
        if (errors.Count > 0) throw new KnowledgeBaseException(errors);
        return new Abbreviations(map);
    }

    private static void Parse(TextReader reader, string name, Dictionary<string, Token[]> map, List<KnowledgeBaseError> errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            errors.Add(new KnowledgeBaseError(name, (int)e.Start.Line, "YAML không hợp lệ: " + e.Message));
            return;
        }
        if (stream.Documents.Count == 0) return;
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add(new KnowledgeBaseError(name, (int)stream.Documents[0].RootNode.Start.Line,
                "tệp viết tắt phải là danh sách \"viết tắt: từ đầy đủ\""));
            return;
        }
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var line = (int)keyNode.Start.Line;
            if (keyNode is not YamlScalarNode { Value: { } key } || valueNode is not YamlScalarNode { Value: { } value }
                || string.IsNullOrWhiteSpace(key) || string.IsNullOrWhiteSpace(value))
            {
                errors.Add(new KnowledgeBaseError(name, line, "mỗi mục phải có dạng \"viết tắt: từ đầy đủ\""));
                continue;
            }
            var keyTokens = TextAnalyzer.Tokenize(key);
            if (keyTokens.Count != 1)
            {
                errors.Add(new KnowledgeBaseError(name, line, $"viết tắt \"{key}\" phải là một từ, không có dấu cách"));
                continue;
            }
            map[keyTokens[0].Accented] = TextAnalyzer.Tokenize(value).ToArray();
        }
    }
}
