using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Knowledge.Faq;

/// <summary>
/// The data/faq file schema outside a knowledge-base folder: writes topics back to YAML (export), reads topic files
/// (import), and checks one entry with exactly the rules FaqLoader applies to files.
/// </summary>
public static class FaqYaml
{
    /// <summary>The topic as one faq/*.yaml file, in the order and style of the shipped files.</summary>
    public static string Write(FaqTopic topic)
    {
        var entries = new YamlSequenceNode();
        foreach (var entry in topic.Entries) entries.Add(EntryNode(entry));
        var root = new YamlMappingNode
        {
            { "topic", topic.Id },
            { "title", topic.Title },
            { "entries", entries },
        };
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        // YamlStream ends documents with "..." which the shipped files do not have.
        return text.EndsWith("...\n") ? text[..^4] : text.EndsWith("...\r\n") ? text[..^5] : text;
    }

    /// <summary>Reads topic files given as (file name, text); throws KnowledgeBaseException with every error.</summary>
    public static IReadOnlyList<FaqTopic> Read(IEnumerable<(string FileName, string Text)> files)
    {
        var root = Directory.CreateTempSubdirectory("faq-import-").FullName;
        try
        {
            var folder = Path.Combine(root, "faq");
            Directory.CreateDirectory(folder);
            foreach (var (fileName, text) in files)
                File.WriteAllText(Path.Combine(folder, Path.GetFileName(fileName)), text);
            var errors = new List<KnowledgeBaseError>();
            var topics = FaqLoader.Load(root, errors);
            if (errors.Count > 0) throw new KnowledgeBaseException(errors);
            return topics;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// Checks one entry as the loader would in a file; each problem is keyed by the entry field it is about
    /// ("id", "question", "alternates", "answer", "tags", "links", "source").
    /// </summary>
    public static IReadOnlyList<(string Field, string Message)> Validate(FaqEntry entry)
    {
        var topic = new FaqTopic(string.IsNullOrWhiteSpace(entry.Topic) ? "topic" : entry.Topic, "title", [entry]);
        try
        {
            Read([("check.yaml", Write(topic))]);
            return [];
        }
        catch (KnowledgeBaseException e)
        {
            return e.Errors.Select(error => (FieldOf(error.Message), error.Message)).ToList();
        }
    }

    private static readonly string[] Fields = ["alternates", "question", "answer", "tags", "links", "source", "id"];

    private static string FieldOf(string message) =>
        Fields.FirstOrDefault(f => message.Contains($"\"{f}\"", StringComparison.Ordinal))
        ?? (message.Contains("liên kết", StringComparison.Ordinal) ? "links" : "id");

    private static YamlMappingNode EntryNode(FaqEntry entry)
    {
        var node = new YamlMappingNode
        {
            { "id", Plain(entry.Id) },
            { "question", Plain(entry.Question) },
        };
        if (entry.Alternates.Count > 0) node.Add("alternates", new YamlSequenceNode(entry.Alternates.Select(a => (YamlNode)Plain(a))));
        node.Add("answer", new YamlScalarNode(entry.Answer.TrimEnd() + "\n") { Style = ScalarStyle.Literal });
        if (entry.Tags.Count > 0)
            node.Add("tags", new YamlSequenceNode(entry.Tags.Select(t => (YamlNode)Plain(t))) { Style = SequenceStyle.Flow });
        if (entry.Links.Count > 0)
            node.Add("links", new YamlSequenceNode(entry.Links.Select(l => (YamlNode)new YamlMappingNode
            {
                { "title", Plain(l.Title) },
                { "url", new YamlScalarNode(l.Url) { Style = ScalarStyle.DoubleQuoted } },
            }.WithFlowStyle())));
        if (entry.Source is not null) node.Add("source", Plain(entry.Source));
        return node;
    }

    private static YamlScalarNode Plain(string value) => new(value);

    private static YamlMappingNode WithFlowStyle(this YamlMappingNode node)
    {
        node.Style = MappingStyle.Flow;
        return node;
    }
}
