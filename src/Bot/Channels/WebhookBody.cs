using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Bot.Channels;

/// <summary>Reads a webhook body under a size limit and parses it as the platform's JSON type; errors become 413/400, never 500.</summary>
public static class WebhookBody
{
    public const long MaxBytes = 256 * 1024;

    public static async Task<(T? Value, string Raw, IResult? Error)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions json, CancellationToken ct)
        where T : class
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
            if (JsonSerializer.Deserialize<T>(raw, json) is { } value) return (value, raw, null);
        }
        catch (JsonException) { }
        catch (NotSupportedException) { }
        return (null, raw, Results.Problem("Nội dung không phải JSON hợp lệ.", statusCode: StatusCodes.Status400BadRequest));
    }
}
