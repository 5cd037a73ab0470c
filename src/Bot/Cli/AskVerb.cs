using Bot.Conversation;
using Knowledge;
using Microsoft.Extensions.Options;

namespace Bot.Cli;

/// <summary>
/// `ask [--kb DIR] [--json] [--top K] [QUESTION]`: answers one question, or one per line of standard input, with the
/// {commune.*} placeholders filled from the Commune section as the chat channels fill them.
/// </summary>
public sealed class AskVerb(IOptions<KnowledgeOptions> knowledge, IOptions<CommuneOptions> communeOptions) : ICliVerb
{
    public string Name => "ask";
    public string Summary => "Trả lời câu hỏi từ cơ sở tri thức: ask [--kb DIR] [--json] [--top K] [CÂU HỎI]";

    public async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        var arguments = new VerbArguments(args, "--json");
        var json = arguments.Has("--json");
        var top = arguments.Int("--top", 0);
        if (await arguments.LoadKnowledgeBaseAsync(knowledge.Value, error) is not { } knowledgeBase) return 1;
        var commune = new CommuneFacts(communeOptions.Value);

        if (arguments.Positional.Count > 0)
        {
            await WriteAsync(Filled(knowledgeBase.Ask(string.Join(' ', arguments.Positional), top), commune), knowledgeBase, json, top > 0, output);
            return 0;
        }
        while (await input.ReadLineAsync() is { } line)
            if (!string.IsNullOrWhiteSpace(line))
                await WriteAsync(Filled(knowledgeBase.Ask(line.Trim(), top), commune), knowledgeBase, json, top > 0, output);
        return 0;
    }

    private static Answer Filled(Answer answer, CommuneFacts commune) =>
        answer.Text is null ? answer : answer with { Text = commune.Fill(answer.Text) };

    private static async Task WriteAsync(Answer answer, KnowledgeBase knowledgeBase, bool json, bool withResults, TextWriter output)
    {
        if (json)
        {
            await output.WriteLineAsync(AnswerJson.Serialize(answer, withResults));
            return;
        }
        await output.WriteLineAsync($"❓ {Bot.Privacy.PersonalDataMasker.Mask(answer.Question)}");
        if (!answer.Answered)
            await output.WriteLineAsync("Chưa có câu trả lời cho câu hỏi này, câu hỏi sẽ được chuyển cho cán bộ xã để trả lời.");
        else if (answer.Document is not null)
            await output.WriteLineAsync($"Theo {answer.Citation}:\n{answer.Text}");
        else
        {
            await output.WriteLineAsync(answer.Text);
            if (answer.Citation is not null) await output.WriteLineAsync($"Nguồn: {answer.Citation}");
        }
        if (answer.Related.Count > 0)
        {
            await output.WriteLineAsync(answer.Answered ? "Câu hỏi liên quan:" : "Có thể bà con muốn hỏi:");
            foreach (var id in answer.Related)
                await output.WriteLineAsync($"  • {knowledgeBase.FindEntry(id)?.Question} [{id}]");
        }
        await output.WriteLineAsync($"(độ tin cậy {answer.Score:0.00})");
        foreach (var candidate in answer.Results)
            await output.WriteLineAsync($"  {candidate.Score:0.000}  {candidate.FaqId ?? candidate.Citation}");
        await output.WriteLineAsync();
    }
}
