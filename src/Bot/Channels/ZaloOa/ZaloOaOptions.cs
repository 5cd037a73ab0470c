using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Bot.Channels.ZaloOa;

/// <summary>The "ZaloOa" configuration section (Zalo Official Account, OA API v3), validated at start-up by <see cref="ZaloOaOptionsValidator"/>.</summary>
public sealed class ZaloOaOptions
{
    public const string Section = "ZaloOa";

    /// <summary>The id of the Zalo app linked to the OA; part of every webhook signature.</summary>
    public string AppId { get; set; } = "";

    /// <summary>The OA secret key of the app's webhook settings (not the app secret): signs every webhook event.</summary>
    public string OaSecretKey { get; set; } = "";

    /// <summary>The OA access token, sent in the access_token header of every send.</summary>
    public string AccessToken { get; set; } = "";

    public string ApiBaseUrl { get; set; } = "https://openapi.zalo.me";

    /// <summary>An event whose signed timestamp is older than this is refused as a replay.</summary>
    public TimeSpan MaxEventAge { get; set; } = TimeSpan.FromMinutes(15);

    public int MaxMessagesPerSecond { get; set; } = 10;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>On when any credential is set; then all of them are required.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(AppId) || !string.IsNullOrWhiteSpace(OaSecretKey) || !string.IsNullOrWhiteSpace(AccessToken);

    public static ZaloOaOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ZaloOaOptions>() ?? new ZaloOaOptions();
}

public sealed partial class ZaloOaOptionsValidator : IValidateOptions<ZaloOaOptions>
{
    [GeneratedRegex(@"^\d{5,32}$")]
    private static partial Regex AppIdShape();

    public ValidateOptionsResult Validate(string? name, ZaloOaOptions o) =>
        Problem(o) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    private static string? Problem(ZaloOaOptions o)
    {
        if (!o.Enabled) return null;
        if (!AppIdShape().IsMatch(o.AppId)) return "ZaloOa:AppId: cần ID ứng dụng Zalo (dãy số, xem ở developers.zalo.me → ứng dụng của bạn).";
        if (string.IsNullOrWhiteSpace(o.OaSecretKey)) return "ZaloOa:OaSecretKey: chưa đặt khoá bí mật của OA (mục Webhook của ứng dụng), cần để kiểm tra chữ ký sự kiện.";
        if (string.IsNullOrWhiteSpace(o.AccessToken)) return "ZaloOa:AccessToken: chưa đặt access token của OA (cấp qua API Explorer hoặc OAuth v4).";
        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return $"ZaloOa:ApiBaseUrl: phải là URL http(s) đầy đủ, ví dụ https://openapi.zalo.me (đang là \"{o.ApiBaseUrl}\").";
        if (o.MaxEventAge <= TimeSpan.Zero) return "ZaloOa:MaxEventAge: phải là khoảng thời gian dương (mặc định 00:15:00).";
        if (o.MaxMessagesPerSecond <= 0) return $"ZaloOa:MaxMessagesPerSecond: phải là số dương (mặc định 10; đang là {o.MaxMessagesPerSecond}).";
        if (o.RequestTimeout <= TimeSpan.Zero) return "ZaloOa:RequestTimeout: phải là khoảng thời gian dương (dạng 00:00:15).";
        return null;
    }
}
