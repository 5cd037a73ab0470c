using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Bot.Channels;

/// <summary>Reads a webhook body under a size limit and parses it as JSON; errors become 413/400, never 500.</summary>
public static class WebhookBody
{
    public const long MaxBytes = 256 * 1024;

    public static async Task<(JsonDocument? Json, string Raw, IResult? Error)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes)
            return (null, "", Results.Problem("Nội dung quá lớn.", statusCode: StatusCodes.Status413PayloadTooLarge));
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxBytes;
        string raw;
        try
        {
            using var reader = new StreamReader(request.Body);
            raw = await reader.ReadToEndAsync(ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, "", Results.Problem("Nội dung quá lớn.", statusCode: StatusCodes.Status413PayloadTooLarge));
        }
        try
        {
            return (JsonDocument.Parse(raw), raw, null);
        }
        catch (JsonException)
        {
            return (null, raw, Results.Problem("Nội dung không phải JSON hợp lệ.", statusCode: StatusCodes.Status400BadRequest));
        }
    }
}
