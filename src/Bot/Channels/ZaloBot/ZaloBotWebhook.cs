using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Bot.Channels.ZaloBot;

/// <summary>POST /webhooks/zalo-bot: secret checked, event parsed and stored durably, then 200; processing happens from the store.</summary>
public static class ZaloBotWebhook
{
    public const string Path = "/webhooks/zalo-bot";
    public const string SecretHeader = "X-Bot-Api-Secret-Token";

    public static void MapZaloBotWebhook(this WebApplication app) =>
        app.MapPost(Path, ReceiveAsync).WithTags("webhooks").AllowAnonymous().DisableAntiforgery();

    private static async Task<IResult> ReceiveAsync(HttpRequest request, InboundUpdates inbox, IOptions<ZaloBotOptions> options, CancellationToken ct)
    {
        // With the channel off the options are unbound: no secret, so every request is refused.
        if (!WebhookSecret.Matches(options.Value.WebhookSecret, request.Headers[SecretHeader]))
            return Results.Problem("Sai mã bí mật webhook.", statusCode: StatusCodes.Status401Unauthorized);
        var (body, _, error) = await WebhookBody.ReadAsync<ZaloBotWebhookBody>(request, ZaloBotUpdate.Json, ct);
        if (error is not null) return error;
        var update = body!.Update;
        if (update.Id is not { } id)
            return Results.Problem("Thiếu event_name hoặc message.message_id.", statusCode: StatusCodes.Status400BadRequest);
        await inbox.AcceptAsync(ChannelIds.ZaloBot, id, JsonSerializer.Serialize(update, ZaloBotUpdate.Json), update.OrderingKey);
        return Results.Ok();
    }
}
