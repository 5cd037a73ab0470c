namespace Bot.Cli;

// Placeholder until the knowledge-engine branch lands; replaced by its implementation.
public sealed class EvalVerb : ICliVerb
{
    public string Name => "eval";
    public string Summary => "";
    public Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error) => throw new NotImplementedException();
}
