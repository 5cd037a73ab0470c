using System.Text;
using System.Text.RegularExpressions;
using Bot.Channels.Telegram;
using Bot.Conversation;
using Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Channels;

/// <summary>
/// The conversation on channels whose messages are plain text without buttons (Zalo Bot, Zalo OA): buttons become a
/// numbered list ("Gõ 1, 2 hoặc 3 để chọn"), their data is stored with the resident, and a bare number typed next
/// answers the choice of that number, on whichever node and after a restart. "/lệnh" is a command.
/// </summary>
public static partial class NumberedChoices
{
    /// <summary>The text in parts of at most the platform's length, and the choices offered (labels and button data, in number order).</summary>
    public sealed record Rendered(IReadOnlyList<string> Parts, IReadOnlyList<string> Choices, IReadOnlyList<string> Labels);

    [GeneratedRegex(@"^\s*(\d{1,2})\s*[.)]?\s*$")]
    private static partial Regex BareNumber();

    /// <summary>What a resident's typed text means: a command, a pick among the choices last offered to them, or a question.</summary>
    public static async Task<IncomingMessage> FromTextAsync(BotDbContext db, string channel, string userId, string chatId, string? name, string text,
        CancellationToken ct)
    {
        if (text.TrimStart() is ['/', .. var command])
        {
            var parts = command.Split(' ', 2, StringSplitOptions.TrimEntries);
            return new(channel, userId, chatId, name, IncomingKind.Command, parts.Length > 1 ? parts[1] : "", parts[0].ToLowerInvariant());
        }
        if (BareNumber().Match(text) is { Success: true } number)
        {
            var offered = await db.Residents.Where(r => r.Channel == channel && r.PlatformUserId == userId)
                .Select(r => r.OfferedChoices).FirstOrDefaultAsync(ct);
            if (Choice(offered, int.Parse(number.Groups[1].Value)) is { } choice)
                return new(channel, userId, chatId, name, IncomingKind.Button, "", ButtonData: choice);
        }
        return new(channel, userId, chatId, name, IncomingKind.Text, text);
    }

    /// <summary>Runs the conversation (in the scope of db) and stores the choices of the last reply that offers any.</summary>
    public static async Task<IReadOnlyList<Rendered>> AnswerAsync(IServiceProvider scope, IncomingMessage incoming, int maxLength, CancellationToken ct)
    {
        var replies = await scope.GetRequiredService<ConversationFlow>().HandleAsync(incoming, ct);
        var rendered = replies.Select(r => Render(r, maxLength)).ToList();
        if (rendered.LastOrDefault(r => r.Choices.Count > 0) is { } offering)
        {
            var db = scope.GetRequiredService<BotDbContext>();
            var resident = await db.Residents.FirstAsync(r => r.Channel == incoming.Channel && r.PlatformUserId == incoming.UserId, ct);
            resident.OfferedChoices = string.Join('\n', offering.Choices);
            await db.SaveChangesAsync(ct);
        }
        return rendered;
    }

    public static Rendered Render(OutgoingMessage message, int maxLength)
    {
        var buttons = message.Buttons.SelectMany(row => row).ToList();
        var text = new StringBuilder(Plain(message.Text));
        if (buttons.Count > 0)
        {
            text.Append("\n\n");
            for (var i = 0; i < buttons.Count; i++) text.Append($"{i + 1}. {buttons[i].Label}\n");
            text.Append(Prompt(buttons.Count));
        }
        return new Rendered(TelegramText.Split(text.ToString(), maxLength), buttons.Select(b => b.Data).ToList(), buttons.Select(b => b.Label).ToList());
    }

    /// <summary>Broadcast texts and staff replies: the markdown's bold markers dropped, no choices.</summary>
    public static string Plain(string text) => text.Replace("**", "");

    private static string Prompt(int count) => count switch
    {
        1 => "Gõ 1 để chọn.",
        2 => "Gõ 1 hoặc 2 để chọn.",
        3 => "Gõ 1, 2 hoặc 3 để chọn.",
        _ => $"Gõ một số từ 1 đến {count} để chọn.",
    };

    private static string? Choice(string? stored, int number) =>
        stored?.Split('\n') is { } choices && number >= 1 && number <= choices.Length ? choices[number - 1] : null;
}
