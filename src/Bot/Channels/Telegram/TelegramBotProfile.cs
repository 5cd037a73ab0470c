namespace Bot.Channels.Telegram;

/// <summary>The bot's own username (from getMe, asked once), needed to notice mentions and /cmd@bot in groups.</summary>
public sealed class TelegramBotProfile(TelegramBotApi api)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private string? username;

    public async Task<string> UsernameAsync(CancellationToken ct)
    {
        if (username is not null) return username;
        await gate.WaitAsync(ct);
        try { return username ??= (await api.GetMeAsync(ct)).Username ?? ""; }
        finally { gate.Release(); }
    }
}
