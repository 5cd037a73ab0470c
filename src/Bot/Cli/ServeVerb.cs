namespace Bot.Cli;

public sealed class ServeVerb : ICliVerb
{
    public string Name => "serve";
    public string Summary => "Chạy trợ lý: trang hỏi đáp, API, webhook Telegram/Zalo và trang quản trị (mặc định).";

    public async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        await using var app = await BotApp.BuildAsync(args);
        await app.RunAsync();
        return 0;
    }
}
