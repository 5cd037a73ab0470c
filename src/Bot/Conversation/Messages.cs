namespace Bot.Conversation;

public enum IncomingKind { Text, Command, Button, Unsupported }

/// <summary>A resident's message as the conversation sees it, whatever the platform.</summary>
public sealed record IncomingMessage(
    string Channel,
    string UserId,
    string ChatId,
    string? DisplayName,
    IncomingKind Kind,
    string Text,
    string? Command = null,
    string? ButtonData = null);

public sealed record ReplyButton(string Label, string Data);

/// <summary>What the bot sends: text with simple markdown (**bold**, "- " lists) and rows of buttons.</summary>
public sealed record OutgoingMessage(string Text, IReadOnlyList<IReadOnlyList<ReplyButton>> Buttons)
{
    public OutgoingMessage(string text) : this(text, []) { }
}
