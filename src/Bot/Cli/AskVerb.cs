namespace Bot.Cli;

// Placeholder until the knowledge-engine branch lands; replaced by its implementation.
public sealed class AskVerb : ICliVerb
{
    public string Name => "ask";
    public string Summary => "";
    public Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error) => throw new NotImplementedException();
}
