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

    /// <summary>The OA access token to seed the database with, once; sent in the access_token header of every send.</summary>
    public string AccessToken { get; set; } = "";

    /// <summary>Spent on the first refresh; from then on the database holds the current one.</summary>
    public string RefreshToken { get; set; } = "";

    /// <summary>The app's secret key, sent in the secret_key header of a token refresh.</summary>
    public string AppSecret { get; set; } = "";

    public string ApiBaseUrl { get; set; } = "https://openapi.zalo.me";
    public string OAuthBaseUrl { get; set; } = "https://oauth.zaloapp.com";

    /// <summary>An event whose signed timestamp is older than this is refused as a replay.</summary>
    public TimeSpan MaxEventAge { get; set; } = TimeSpan.FromMinutes(15);

    public int MaxMessagesPerSecond { get; set; } = 10;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>On when any credential is set; then all of them are required.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(AppId) || !string.IsNullOrWhiteSpace(OaSecretKey) || !string.IsNullOrWhiteSpace(AccessToken);

    public static ZaloOaOptions From(IConfiguration configuration) =>
        ValidatedOptions.Read<ZaloOaOptions>(configuration, Section);
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
        if (string.IsNullOrWhiteSpace(o.RefreshToken)) return "ZaloOa:RefreshToken: chưa đặt refresh token của OA (cấp cùng access token), cần để gia hạn access token.";
        if (string.IsNullOrWhiteSpace(o.AppSecret)) return "ZaloOa:AppSecret: chưa đặt khoá bí mật của ứng dụng (developers.zalo.me), cần để gia hạn access token.";
        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return $"ZaloOa:ApiBaseUrl: phải là URL http(s) đầy đủ, ví dụ https://openapi.zalo.me (đang là \"{o.ApiBaseUrl}\").";
        if (!Uri.TryCreate(o.OAuthBaseUrl, UriKind.Absolute, out var oauth) || oauth.Scheme is not ("http" or "https"))
            return $"ZaloOa:OAuthBaseUrl: phải là URL http(s) đầy đủ, ví dụ https://oauth.zaloapp.com (đang là \"{o.OAuthBaseUrl}\").";
        if (o.MaxEventAge <= TimeSpan.Zero) return "ZaloOa:MaxEventAge: phải là khoảng thời gian dương (mặc định 00:15:00).";
        if (o.MaxMessagesPerSecond <= 0) return $"ZaloOa:MaxMessagesPerSecond: phải là số dương (mặc định 10; đang là {o.MaxMessagesPerSecond}).";
        if (o.RequestTimeout <= TimeSpan.Zero) return "ZaloOa:RequestTimeout: phải là khoảng thời gian dương (dạng 00:00:15).";
        return null;
    }
}
