using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Bot.Channels.WebChat;

/// <summary>The web chat's request limits, per session and per client address (WebChat:MaxRequestsPerMinutePer…).</summary>
public sealed class WebChatLimiter(IOptions<WebChatOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> perIp = Create(options.Value.MaxRequestsPerMinutePerIp);
    private readonly PartitionedRateLimiter<string> perSession = Create(options.Value.MaxRequestsPerMinutePerSession);

    private static PartitionedRateLimiter<string> Create(int perMinute) => PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1) }));

    /// <summary>An endpoint filter: 429 with a Vietnamese reason when either limit is reached.</summary>
    public async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        using var sessionLease = perSession.AttemptAcquire(WebChatSession.FindOrIssue(http));
        if (!sessionLease.IsAcquired) return TooMany();
        using var ipLease = perIp.AttemptAcquire(http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        if (!ipLease.IsAcquired) return TooMany();
        return await next(context);
    }

    private static IResult TooMany() =>
        Results.Problem("Bà con gửi nhanh quá, tôi chưa kịp đọc hết. Bà con đợi khoảng một phút rồi hỏi tiếp giúp tôi nhé.",
            statusCode: StatusCodes.Status429TooManyRequests);

    public void Dispose()
    {
        perIp.Dispose();
        perSession.Dispose();
    }
}
