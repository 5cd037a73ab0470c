using Knowledge;
using Knowledge.Documents;
using Microsoft.Extensions.Options;

namespace Bot.Cli;

/// <summary>`import [--kb DIR] FILE...`: copies .txt/.md/.docx/.html documents into the knowledge base's documents/ folder.</summary>
public sealed class ImportVerb(IOptions<KnowledgeOptions> knowledge) : ICliVerb
{
    public string Name => "import";
    public string Summary => "Nhập tài liệu (.txt, .md, .docx, .html) vào cơ sở tri thức: import [--kb DIR] TỆP...";

    public async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        var arguments = new VerbArguments(args);
        if (arguments.Positional.Count == 0)
        {
            await error.WriteLineAsync($"usage: import [--kb DIR] FILE... ({string.Join(", ", DocumentImporter.SupportedExtensions)})");
            return 2;
        }
        var root = knowledge.Value.ResolveRoot(arguments.Value("--kb"));
        var failed = 0;
        foreach (var file in arguments.Positional)
        {
            try
            {
                var document = DocumentImporter.Import(file, root);
                await output.WriteLineAsync($"Đã nhập {Path.GetFileName(file)}: {document.Info.Citation} ({document.Chunks.Count} đoạn)");
            }
            catch (Exception e) when (e is KnowledgeBaseException or IOException)
            {
                failed++;
                await error.WriteLineAsync($"Không nhập được {file}: {e.Message}");
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
