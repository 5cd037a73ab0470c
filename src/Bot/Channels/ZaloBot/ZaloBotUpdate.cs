using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Channels.ZaloBot;

/// <summary>One Zalo Bot Platform event (getUpdates result or webhook body): event_name and the message it is about.</summary>
public sealed record ZaloBotUpdate(
    [property: JsonPropertyName("event_name")] string? EventName,
    [property: JsonPropertyName("message")] ZaloBotMessage? Message)
{
    public const string TextReceived = "message.text.received";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Zalo sends no update id: the event and its message id name an event, so a retried event is dropped.</summary>
    public string? Id => Message?.MessageId is { Length: > 0 } id && EventName is { Length: > 0 } name ? name + ":" + id : null;

    /// <summary>The chat, so that one chat's events are processed in order.</summary>
    public string OrderingKey => Message?.Chat?.Id ?? Message?.From?.Id ?? "";
}

public sealed record ZaloBotMessage(
    [property: JsonPropertyName("message_id")] string? MessageId,
    [property: JsonPropertyName("from")] ZaloBotUser? From,
    [property: JsonPropertyName("chat")] ZaloBotChat? Chat,
    [property: JsonPropertyName("date")] long? Date,
    [property: JsonPropertyName("text")] string? Text);

public sealed record ZaloBotUser(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("display_name")] string? DisplayName,
    [property: JsonPropertyName("is_bot")] bool? IsBot);

public sealed record ZaloBotChat(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("chat_type")] string? ChatType);

/// <summary>A webhook body: the event itself, or wrapped as {"ok": true, "result": event} like a getUpdates answer.</summary>
public sealed record ZaloBotWebhookBody(
    [property: JsonPropertyName("result")] ZaloBotUpdate? Result,
    [property: JsonPropertyName("event_name")] string? EventName,
    [property: JsonPropertyName("message")] ZaloBotMessage? Message)
{
    public ZaloBotUpdate Update => Result ?? new ZaloBotUpdate(EventName, Message);
}
