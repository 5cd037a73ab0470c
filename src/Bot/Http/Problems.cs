using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Bot.Http;

/// <summary>
/// The one place that turns a refused request into problem details with a Vietnamese reason: the framework's own
/// refusals (unreadable JSON, a parameter of the wrong type, a body sent too slowly, an unknown address) as well as
/// anything an endpoint answers without a detail of its own.
/// </summary>
public sealed partial class Problems(IProblemDetailsService problems) : IExceptionHandler
{
    public static void Register(IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Customize);
        services.AddExceptionHandler<Problems>();
        // Binding failures are thrown, so that this class can say what was wrong instead of a bare 400.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
    }

    [GeneratedRegex("""parameter "(?:\S+ )?(?<name>[^"]+)" from "(?<value>[^"]*)""")]
    private static partial Regex BindFailure();

    [GeneratedRegex("""Required parameter "(?:\S+ )?(?<name>[^"]+)" was not provided""")]
    private static partial Regex MissingParameter();

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad || http.Response.HasStarted) return false;
        http.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = bad.StatusCode, Detail = Reason(bad) },
        });
    }

    private static string Reason(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
            return "Nội dung JSON không đọc được" + (json.Path is { Length: > 1 } path ? $" (ở {path})" : "") + ": kiểm tra cú pháp và kiểu của từng trường.";
        if (BindFailure().Match(bad.Message) is { Success: true } m)
            return $"Tham số {m.Groups["name"].Value} không hợp lệ: \"{m.Groups["value"].Value}\".";
        if (MissingParameter().Match(bad.Message) is { Success: true } missing)
            return $"Thiếu tham số {missing.Groups["name"].Value}.";
        if (bad.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase))
            return "Thiếu nội dung yêu cầu (JSON).";
        return ForStatus(bad.StatusCode);
    }

    private static string ForStatus(int status) => status switch
    {
        400 => "Yêu cầu không hợp lệ.",
        401 => "Cần đăng nhập (tài khoản cán bộ) hoặc khoá API hợp lệ.",
        403 => "Tài khoản này không có quyền làm việc này.",
        404 => "Không có địa chỉ này.",
        405 => "Địa chỉ này không nhận phương thức HTTP đó.",
        408 => "Nội dung gửi đến quá chậm; máy chủ đã ngừng chờ.",
        413 => "Nội dung quá lớn.",
        415 => "Nội dung phải là JSON (Content-Type: application/json).",
        429 => "Bà con gửi nhanh quá; đợi một chút rồi thử lại nhé.",
        >= 500 => "Máy chủ gặp lỗi; bà con thử lại sau ít phút.",
        _ => "Yêu cầu không được chấp nhận.",
    };

    private static void Customize(ProblemDetailsContext context)
    {
        var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
        if (string.IsNullOrEmpty(context.ProblemDetails.Detail)) context.ProblemDetails.Detail = ForStatus(status);
    }
}
