using System.Text.Json;

namespace Bot.Channels.Telegram;

// Bot API objects, only the fields this bot reads or writes. Property names map to snake_case
// (see TelegramBotApi.Json); optional fields are nullable.

public sealed record Update(
    long UpdateId,
    Message? Message = null,
    Message? EditedMessage = null,
    CallbackQuery? CallbackQuery = null,
    ChatMemberUpdated? MyChatMember = null);

/// <summary>
/// A chat message. Media are kept as raw JSON: the conversation only needs to know a resident sent
/// something that is not text (Text is null then; a photo may still carry a Caption).
/// </summary>
public sealed record Message(
    long MessageId,
    Chat Chat,
    long Date,
    User? From = null,
    string? Text = null,
    IReadOnlyList<MessageEntity>? Entities = null,
    string? Caption = null,
    JsonElement? Sticker = null,
    JsonElement? Photo = null,
    JsonElement? Voice = null,
    JsonElement? Document = null,
    JsonElement? Video = null,
    InlineKeyboardMarkup? ReplyMarkup = null);

public sealed record User(long Id, bool IsBot, string FirstName, string? LastName = null, string? Username = null, string? LanguageCode = null);

/// <summary>Type is "private", "group", "supergroup" or "channel".</summary>
public sealed record Chat(long Id, string Type, string? Title = null, string? Username = null);

/// <summary>Message is missing when the message with the button is too old.</summary>
public sealed record CallbackQuery(string Id, User From, Message? Message = null, string? Data = null);

/// <summary>Offset and Length count UTF-16 code units. Type is e.g. "bot_command", "mention", "text_mention", "url".</summary>
public sealed record MessageEntity(string Type, int Offset, int Length, User? User = null, string? Url = null);

/// <summary>Rows of buttons, top to bottom.</summary>
public sealed record InlineKeyboardMarkup(IReadOnlyList<IReadOnlyList<InlineKeyboardButton>> InlineKeyboard);

/// <summary>Exactly one of CallbackData (1-64 bytes) and Url is set.</summary>
public sealed record InlineKeyboardButton(string Text, string? CallbackData = null, string? Url = null)
{
    public static InlineKeyboardButton WithCallback(string text, string data) => new(text, CallbackData: data);
    public static InlineKeyboardButton WithUrl(string text, string url) => new(text, Url: url);
}

/// <summary>Command: 1-32 lowercase letters, digits, underscores, without the slash.</summary>
public sealed record BotCommand(string Command, string Description);

/// <summary>The bot's own membership changed: a resident blocked/unblocked it, or a group removed/added it.</summary>
public sealed record ChatMemberUpdated(Chat Chat, User From, long Date, ChatMember OldChatMember, ChatMember NewChatMember)
{
    /// <summary>True when the bot can no longer write to the chat (blocked in a private chat, removed from a group).</summary>
    public bool BotWasRemoved => NewChatMember.Status is ChatMember.Kicked or ChatMember.Left;
}

public sealed record ChatMember(string Status, User User)
{
    public const string Kicked = "kicked";
    public const string Left = "left";
}

/// <summary>Why a request failed; RetryAfter in seconds for flood control.</summary>
public sealed record ResponseParameters(int? RetryAfter = null, long? MigrateToChatId = null);

internal sealed record ApiResponse<T>(bool Ok, T? Result, int? ErrorCode, string? Description, ResponseParameters? Parameters);
