using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Knowledge.Faq;

/// <summary>Reads faq/*.yaml and validates it, collecting every error with file, line and reason.</summary>
internal static class FaqLoader
{
    private static readonly HashSet<string> TopicFields = ["topic", "title", "entries"];
    private static readonly HashSet<string> EntryFields = ["id", "question", "alternates", "answer", "tags", "links", "source"];
    private static readonly HashSet<string> LinkFields = ["title", "url"];

    public static List<FaqTopic> Load(string root, List<KnowledgeBaseError> errors)
    {
        var topics = new List<FaqTopic>();
        var folder = Path.Combine(root, "faq");
        if (!Directory.Exists(folder)) return topics;

        var entriesById = new Dictionary<string, string>(StringComparer.Ordinal);
        var topicsById = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = Directory.GetFiles(folder, "*.yaml").Concat(Directory.GetFiles(folder, "*.yml"))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var name = Path.GetRelativePath(root, file).Replace('\\', '/');
            var topic = LoadFile(file, name, errors, entriesById);
            if (topic is null) continue;
            if (topicsById.TryGetValue(topic.Id, out var other))
                errors.Add(new KnowledgeBaseError(name, 1, $"chủ đề \"{topic.Id}\" đã có trong {other}"));
            else topicsById[topic.Id] = name;
            topics.Add(topic);
        }
        return topics;
    }

    private static FaqTopic? LoadFile(string file, string name, List<KnowledgeBaseError> errors, Dictionary<string, string> entriesById)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(file);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            errors.Add(new KnowledgeBaseError(name, (int)e.Start.Line, "YAML không hợp lệ: " + Reason(e)));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's document loader can fail without a position; its parser, run alone, has one.
            var (line, reason) = LocateSyntaxError(file);
            errors.Add(new KnowledgeBaseError(name, line, "YAML không hợp lệ: " + reason));
            return null;
        }
        catch (IOException e)
        {
            errors.Add(new KnowledgeBaseError(name, 0, "không đọc được tệp: " + e.Message));
            return null;
        }
        if (stream.Documents.Count == 0)
        {
            errors.Add(new KnowledgeBaseError(name, 1, "tệp rỗng"));
            return null;
        }
        var context = new FileContext(name, errors);
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            context.Error(stream.Documents[0].RootNode, "tệp phải là một chủ đề có topic, title và entries");
            return null;
        }

        context.CheckFields(root, TopicFields, "chủ đề");
        var topicId = context.RequiredScalar(root, "topic", "chủ đề");
        var title = context.RequiredScalar(root, "title", "chủ đề");
        var entries = new List<FaqEntry>();
        if (context.Child(root, "entries") is { } entriesNode)
        {
            if (entriesNode is YamlSequenceNode sequence)
            {
                foreach (var node in sequence)
                    if (ReadEntry(node, topicId ?? "", context) is { } entry && IsNewId(entry, node, context, entriesById))
                        entries.Add(entry);
            }
            else context.Error(entriesNode, "entries phải là danh sách câu hỏi");
        }
        else context.Error(root, "chủ đề thiếu trường bắt buộc \"entries\"");

        return topicId is null || title is null ? null : new FaqTopic(topicId, title, entries);
    }

    private static bool IsNewId(FaqEntry entry, YamlNode node, FileContext context, Dictionary<string, string> entriesById)
    {
        var location = $"{context.Name}:{node.Start.Line}";
        if (entriesById.TryAdd(entry.Id, location)) return true;
        context.Error(node, $"mã câu hỏi \"{entry.Id}\" bị trùng, đã dùng ở {entriesById[entry.Id]}");
        return false;
    }

    private static FaqEntry? ReadEntry(YamlNode node, string topic, FileContext context)
    {
        if (node is not YamlMappingNode map)
        {
            context.Error(node, "mỗi câu hỏi phải có các trường id, question, answer");
            return null;
        }
        context.CheckFields(map, EntryFields, "câu hỏi");
        var id = context.RequiredScalar(map, "id", "câu hỏi");
        var question = context.RequiredScalar(map, "question", "câu hỏi" + (id is null ? "" : $" \"{id}\""));
        var answer = context.RequiredScalar(map, "answer", "câu hỏi" + (id is null ? "" : $" \"{id}\""));
        var alternates = context.ScalarList(map, "alternates");
        var tags = context.ScalarList(map, "tags");
        var links = ReadLinks(map, context);
        var source = context.OptionalScalar(map, "source");
        if (id is null || question is null || answer is null) return null;
        return new FaqEntry(id, topic, question, alternates, answer.TrimEnd(), tags, links, source);
    }

    private static List<FaqLink> ReadLinks(YamlMappingNode entry, FileContext context)
    {
        var links = new List<FaqLink>();
        if (context.Child(entry, "links") is not { } node) return links;
        if (node is not YamlSequenceNode sequence)
        {
            context.Error(node, "links phải là danh sách {title, url}");
            return links;
        }
        foreach (var item in sequence)
        {
            if (item is not YamlMappingNode map)
            {
                context.Error(item, "mỗi liên kết phải có title và url");
                continue;
            }
            context.CheckFields(map, LinkFields, "liên kết");
            var title = context.RequiredScalar(map, "title", "liên kết");
            var url = context.RequiredScalar(map, "url", "liên kết");
            if (title is not null && url is not null) links.Add(new FaqLink(title, url));
        }
        return links;
    }

    private static (int Line, string Reason) LocateSyntaxError(string file)
    {
        using var reader = new StreamReader(file);
        var parser = new Parser(reader);
        var line = 1;
        try
        {
            while (parser.MoveNext()) line = (int)parser.Current!.Start.Line;
        }
        catch (YamlException e)
        {
            return ((int)e.Start.Line, Reason(e));
        }
        catch (InvalidOperationException)
        {
            // The parser ran off the end of the file: an unclosed [, { or quote opened around the last good line.
        }
        return (line, "cấu trúc YAML không đúng, có thể thiếu dấu đóng ], } hoặc dấu nháy");
    }

    private static string Reason(YamlException e)
    {
        var message = e.InnerException?.Message ?? e.Message;
        var close = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith('(') && close > 0 ? message[(close + 3)..] : message;
    }

    private sealed class FileContext(string name, List<KnowledgeBaseError> errors)
    {
        public string Name { get; } = name;

        public void Error(YamlNode node, string message) => errors.Add(new KnowledgeBaseError(Name, (int)node.Start.Line, message));

        public YamlNode? Child(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        public void CheckFields(YamlMappingNode map, HashSet<string> allowed, string what)
        {
            foreach (var key in map.Children.Keys)
                if (key is not YamlScalarNode { Value: { } name } || !allowed.Contains(name))
                    Error(key, $"trường không hợp lệ \"{key}\" trong {what} (chỉ dùng: {string.Join(", ", allowed)})");
        }

        public string? RequiredScalar(YamlMappingNode map, string key, string what)
        {
            var node = Child(map, key);
            if (node is null)
            {
                Error(map, $"{what} thiếu trường bắt buộc \"{key}\"");
                return null;
            }
            var value = Scalar(node, key);
            if (value is not null && string.IsNullOrWhiteSpace(value))
            {
                Error(node, $"{what} có trường \"{key}\" để trống");
                return null;
            }
            return value;
        }

        public string? OptionalScalar(YamlMappingNode map, string key) =>
            Child(map, key) is { } node ? Scalar(node, key) : null;

        private string? Scalar(YamlNode node, string key)
        {
            if (node is YamlScalarNode scalar) return scalar.Value ?? "";
            Error(node, $"trường \"{key}\" phải là một đoạn văn bản");
            return null;
        }

        public List<string> ScalarList(YamlMappingNode map, string key)
        {
            var list = new List<string>();
            if (Child(map, key) is not { } node) return list;
            if (node is not YamlSequenceNode sequence)
            {
                Error(node, $"trường \"{key}\" phải là danh sách, ví dụ [a, b]");
                return list;
            }
            foreach (var item in sequence)
            {
                if (item is YamlScalarNode { Value: { } value } && !string.IsNullOrWhiteSpace(value)) list.Add(value);
                else Error(item, $"mỗi phần tử của \"{key}\" phải là một đoạn văn bản");
            }
            return list;
        }
    }
}
