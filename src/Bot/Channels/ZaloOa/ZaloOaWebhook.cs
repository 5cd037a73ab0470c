using Microsoft.Extensions.Options;

namespace Bot.Channels.ZaloOa;

/// <summary>POST /webhooks/zalo-oa: X-ZEvent-Signature verified before anything is stored, event stored durably, then 200.</summary>
public static class ZaloOaWebhook
{
    public const string Path = "/webhooks/zalo-oa";
    public const string SignatureHeader = "X-ZEvent-Signature";

    public static void MapZaloOaWebhook(this WebApplication app) =>
        app.MapPost(Path, ReceiveAsync).WithTags("webhooks").AllowAnonymous().DisableAntiforgery();

    private static async Task<IResult> ReceiveAsync(HttpRequest request, InboundUpdates inbox, IOptions<ZaloOaOptions> options, TimeProvider time,
        CancellationToken ct)
    {
        var o = options.Value;
        // With the channel off the options are unbound: no key, so every request is refused.
        if (!o.Enabled || request.Headers[SignatureHeader].ToString() is not { Length: > 0 } signature)
            return Refused();
        var (oaEvent, raw, error) = await WebhookBody.ReadAsync<ZaloOaEvent>(request, ZaloOaEvent.Json, ct);
        if (error is not null) return error;
        if (!oaEvent!.IsSignedBy(signature, raw, o.AppId, o.OaSecretKey, o.MaxEventAge, time.GetUtcNow())) return Refused();
        if (oaEvent.Id is not { } id)
            return Results.Problem("Thiếu event_name, người dùng hoặc timestamp.", statusCode: StatusCodes.Status400BadRequest);
        await inbox.AcceptAsync(ChannelIds.Zalo, id, raw, oaEvent.UserId ?? "");
        return Results.Ok();
    }

    private static IResult Refused() => Results.Problem("Sai chữ ký sự kiện hoặc sự kiện đã quá cũ.", statusCode: StatusCodes.Status401Unauthorized);
}
