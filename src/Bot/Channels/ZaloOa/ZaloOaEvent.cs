using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Channels.ZaloOa;

/// <summary>One OA webhook event (user_send_text, follow, unfollow, user_send_image, …), the fields the bot reads.</summary>
public sealed record ZaloOaEvent(
    [property: JsonPropertyName("event_name")] string? EventName,
    [property: JsonPropertyName("app_id")] string? AppId,
    [property: JsonPropertyName("timestamp")] string? Timestamp,
    [property: JsonPropertyName("sender")] ZaloOaUser? Sender,
    [property: JsonPropertyName("follower")] ZaloOaUser? Follower,
    [property: JsonPropertyName("message")] ZaloOaMessage? Message)
{
    public const string UserSendText = "user_send_text";
    public const string Follow = "follow";
    public const string Unfollow = "unfollow";

    /// <summary>What a resident may send that the bot cannot read: answered with the polite request for text.</summary>
    public static readonly HashSet<string> Media =
    [
        "user_send_image", "user_send_sticker", "user_send_gif", "user_send_audio", "user_send_video", "user_send_file",
        "user_send_location", "user_send_link", "user_send_business_card",
    ];

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new NumberAsStringConverter() },
    };

    /// <summary>When the user acted, from the signed timestamp (milliseconds).</summary>
    public DateTimeOffset? SentAt => long.TryParse(Timestamp, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>The resident the event is about.</summary>
    public string? UserId => Follower?.Id ?? Sender?.Id;

    /// <summary>The message id, or for events without one the event, its user and its time: a retried event is dropped.</summary>
    public string? Id => Message?.MsgId is { Length: > 0 } msgId ? msgId
        : EventName is { Length: > 0 } && UserId is { Length: > 0 } && Timestamp is { Length: > 0 } ? $"{EventName}:{UserId}:{Timestamp}" : null;

    /// <summary>
    /// Zalo's webhook signature: X-ZEvent-Signature is "mac=" and the hex SHA-256 of app id + raw body + timestamp +
    /// OA secret key, compared in constant time; the signed timestamp must be recent (a replay is refused).
    /// </summary>
    public bool IsSignedBy(string header, string rawBody, string appId, string oaSecretKey, TimeSpan maxAge, DateTimeOffset now)
    {
        if (!header.StartsWith("mac=", StringComparison.OrdinalIgnoreCase) || !long.TryParse(Timestamp, out var ms)) return false;
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(appId + rawBody + Timestamp + oaSecretKey));
        byte[] presented;
        try { presented = Convert.FromHexString(header.AsSpan(4).Trim()); }
        catch (FormatException) { return false; }
        if (!CryptographicOperations.FixedTimeEquals(expected, presented)) return false;
        var age = now - DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return age <= maxAge && age >= -TimeSpan.FromMinutes(5);
    }

    /// <summary>Zalo writes ids and timestamps as strings or as numbers; the bot keeps them as strings.</summary>
    private sealed class NumberAsStringConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
            JsonTokenType.Null => null,
            _ => throw new JsonException("expected a string or a number"),
        };

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}

public sealed record ZaloOaUser([property: JsonPropertyName("id")] string? Id);

public sealed record ZaloOaMessage(
    [property: JsonPropertyName("msg_id")] string? MsgId,
    [property: JsonPropertyName("text")] string? Text);
