using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Bot.Channels.Telegram;

/// <summary>POST /webhooks/telegram: secret checked, update parsed and stored durably, then 200; processing happens from the store.</summary>
public static class TelegramWebhook
{
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    public static void MapTelegramWebhook(this WebApplication app) =>
        app.MapPost("/webhooks/telegram", async (HttpRequest request, InboundUpdates inbox, IOptions<TelegramOptions> options, CancellationToken ct) =>
        {
            // With Telegram off the options are unbound: no secret, so every request is refused.
            if (!WebhookSecret.Matches(options.Value.WebhookSecret, request.Headers[SecretHeader]))
                return Results.Problem("Sai mã bí mật webhook.", statusCode: StatusCodes.Status401Unauthorized);
            var (update, raw, error) = await WebhookBody.ReadAsync<Update>(request, JsonBotAPI.Options, ct);
            if (error is not null) return error;
            if (update!.Id <= 0)
                return Results.Problem("Thiếu update_id.", statusCode: StatusCodes.Status400BadRequest);
            await inbox.AcceptAsync(ChannelIds.Telegram, update.Id.ToString(), raw, OrderingKey(update));
            return Results.Ok();
        }).WithTags("webhooks").AllowAnonymous().DisableAntiforgery();

    /// <summary>The chat an update belongs to, so that one chat's updates are processed in order.</summary>
    public static string OrderingKey(Update update) =>
        (update.Message?.Chat.Id ?? update.EditedMessage?.Chat.Id ?? update.CallbackQuery?.From.Id ?? update.MyChatMember?.Chat.Id)?.ToString() ?? "";
}
