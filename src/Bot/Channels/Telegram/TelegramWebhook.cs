using System.Text.Json;

namespace Bot.Channels.Telegram;

/// <summary>POST /webhooks/telegram: secret checked, update stored durably, then 200; processing happens from the store.</summary>
public static class TelegramWebhook
{
    public const string Channel = "telegram";
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    public static void MapTelegramWebhook(this WebApplication app) =>
        app.MapPost("/webhooks/telegram", async (HttpRequest request, InboundUpdates inbox, IConfiguration configuration, CancellationToken ct) =>
        {
            if (!WebhookSecret.Matches(configuration["Telegram:WebhookSecret"], request.Headers[SecretHeader]))
                return Results.Problem("Sai mã bí mật webhook.", statusCode: StatusCodes.Status401Unauthorized);
            var (json, raw, error) = await WebhookBody.ReadAsync(request, ct);
            if (error is not null) return error;
            using (json)
            {
                if (json!.RootElement.ValueKind != JsonValueKind.Object ||
                    !json.RootElement.TryGetProperty("update_id", out var id) || id.ValueKind != JsonValueKind.Number ||
                    !id.TryGetInt64(out var updateId))
                    return Results.Problem("Thiếu update_id.", statusCode: StatusCodes.Status400BadRequest);
                await inbox.AcceptAsync(Channel, updateId.ToString(), raw, OrderingKey(json.RootElement));
                return Results.Ok();
            }
        }).WithTags("webhooks").AllowAnonymous().DisableAntiforgery();

    /// <summary>The chat an update belongs to, so that one chat's updates are processed in order.</summary>
    public static string OrderingKey(JsonElement update)
    {
        foreach (var (kind, path) in new[] { ("message", "chat"), ("edited_message", "chat"), ("callback_query", "from"), ("my_chat_member", "chat") })
            if (update.TryGetProperty(kind, out var part) && part.TryGetProperty(path, out var owner) && owner.TryGetProperty("id", out var id))
                return id.ToString();
        return "";
    }
}
