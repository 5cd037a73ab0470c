namespace Bot.Broadcasts;

/// <summary>The "Broadcasts" configuration section, validated at start-up.</summary>
public sealed record BroadcastOptions(QuietHours QuietHours, IReadOnlyList<long> TestChatIds, int Senders, int ClaimBatch)
{
    /// <summary>Longest text staff may write: with the footer it still fits one Telegram message (4,096 characters).</summary>
    public const int MaxTextLength = 3500;

    public static BroadcastOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Broadcasts");
        var quiet = QuietHours.Parse(section.GetSection("QuietHours").Exists() ? section["QuietHours"] ?? "" : null);

        var testChats = new List<long>();
        foreach (var part in (section["TestChatIds"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(part, out var chatId))
                throw new StartupException("Broadcasts:TestChatIds", $"là danh sách mã chat Telegram (số), cách nhau bằng dấu phẩy; \"{part}\" không phải số.");
            testChats.Add(chatId);
        }

        var senders = section.GetValue("Senders", 32);
        if (senders is < 1 or > 512)
            throw new StartupException("Broadcasts:Senders", $"phải từ 1 đến 512 (mặc định 32; đang là {senders}).");
        var claimBatch = section.GetValue("ClaimBatch", 256);
        if (claimBatch is < 1 or > 10_000)
            throw new StartupException("Broadcasts:ClaimBatch", $"phải từ 1 đến 10000 (mặc định 256; đang là {claimBatch}).");
        return new BroadcastOptions(quiet, testChats, senders, claimBatch);
    }
}
