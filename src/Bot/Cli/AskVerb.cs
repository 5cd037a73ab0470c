using Bot.Ai;
using Bot.Conversation;
using Bot.Storage;
using Knowledge;
using Microsoft.Extensions.Options;

namespace Bot.Cli;

/// <summary>
/// `ask [--kb DIR] [--json] [--top K] [QUESTION]`: answers one question, or one per line of standard input, with the
/// {commune.*} placeholders filled from the Commune section as the chat channels fill them. With Ai:Enabled the model
/// words the answer as on the chat channels (the database is prepared first: it counts the daily token budget).
/// </summary>
public sealed class AskVerb(IOptions<KnowledgeOptions> knowledge, IOptions<AiOptions> ai, IServiceProvider services) : ICliVerb
{
    public string Name => "ask";
    public string Summary => "Trả lời câu hỏi từ cơ sở tri thức: ask [--kb DIR] [--json] [--top K] [CÂU HỎI]";

    public async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        var arguments = new VerbArguments(args, "--json");
        var json = arguments.Has("--json");
        var top = arguments.Int("--top", 0);
        if (await arguments.LoadKnowledgeBaseAsync(knowledge.Value, error) is not { } knowledgeBase) return 1;
        var commune = services.GetRequiredService<CommuneFacts>();
        if (ai.Value.Enabled) await StorageSetup.PrepareDatabaseAsync(services);

        if (arguments.Positional.Count > 0)
        {
            await AnswerAsync(string.Join(' ', arguments.Positional));
            return 0;
        }
        while (await input.ReadLineAsync() is { } line)
            if (!string.IsNullOrWhiteSpace(line))
                await AnswerAsync(line.Trim());
        return 0;

        async Task AnswerAsync(string question)
        {
            var answer = knowledgeBase.Ask(question, top);
            await using var scope = services.CreateAsyncScope();
            var composition = await scope.ServiceProvider.GetRequiredService<AiComposer>().ComposeAsync(question, answer, knowledgeBase, default);
            answer = answer.Text is null ? answer : answer with { Text = composition.Text ?? commune.Fill(answer.Text) };
            await WriteAsync(answer, composition, knowledgeBase, json, top > 0, output);
        }
    }

    private static async Task WriteAsync(Answer answer, ComposedAnswer composition, KnowledgeBase knowledgeBase, bool json, bool withResults, TextWriter output)
    {
        if (json)
        {
            var line = AnswerJson.ToJson(answer, withResults);
            AnswerSources.AddTo(line, composition);
            await output.WriteLineAsync(line.ToJsonString(AnswerJson.Options));
            return;
        }
        await output.WriteLineAsync($"❓ {Bot.Privacy.PersonalDataMasker.Mask(answer.Question)}");
        if (!answer.Answered)
            await output.WriteLineAsync("Chưa có câu trả lời cho câu hỏi này, câu hỏi sẽ được chuyển cho cán bộ xã để trả lời.");
        else if (composition.Composed)
            await output.WriteLineAsync(answer.Text);
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
