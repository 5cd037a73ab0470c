using Knowledge;

namespace Bot.Cli;

/// <summary>The options the knowledge verbs share: --kb DIR, --json, --top K, --name VALUE, and positional words.</summary>
internal sealed class VerbArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    /// <param name="flags">Options that take no value, such as --json.</param>
    public VerbArguments(string[] args, params string[] flags)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (flags.Contains(arg)) _flags.Add(arg);
            else if (arg.StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length) _values[arg] = args[++i];
            else if (arg.StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"{arg} needs a value");
            else Positional.Add(arg);
        }
    }

    public bool Has(string flag) => _flags.Contains(flag);

    /// <summary>Loads the base at --kb (else Knowledge:Root, else data/) with Knowledge:Threshold; prints the errors and returns null when broken.</summary>
    public async Task<KnowledgeBase?> LoadKnowledgeBaseAsync(KnowledgeOptions knowledge, TextWriter error)
    {
        try
        {
            return KnowledgeBase.Load(knowledge.ResolveRoot(Value("--kb")), knowledge.AnswerOptions);
        }
        catch (KnowledgeBaseException e)
        {
            await error.WriteLineAsync(e.Message);
            return null;
        }
    }

    public string? Value(string name) => _values.GetValueOrDefault(name);

    public int Int(string name, int fallback) => _values.TryGetValue(name, out var v) ? int.Parse(v) : fallback;

    public float Float(string name, float fallback) =>
        _values.TryGetValue(name, out var v) ? float.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
