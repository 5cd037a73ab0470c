namespace Bot.Cli;

/// <summary>A verb of the Bot executable: `dotnet run --project src/Bot -- NAME [args]`.</summary>
public interface ICliVerb
{
    string Name { get; }
    string Summary { get; }
    Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error);
}
