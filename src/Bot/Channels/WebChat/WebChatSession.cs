using System.Security.Cryptography;
using System.Text;

namespace Bot.Channels.WebChat;

/// <summary>
/// The web chat session: an unguessable id the server issues in an HttpOnly cookie. Staff replies and feedback are
/// bound to it. The database keeps only its SHA-256 digest, so the stored resident id opens nothing.
/// </summary>
public static class WebChatSession
{
    public const string CookieName = "bot_chat";
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    /// <summary>The session id the browser sent, when it is one the server could have issued.</summary>
    public static string? Find(HttpRequest request) =>
        request.Cookies[CookieName] is { Length: 43 } id && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? id : null;

    /// <summary>The session of this request, issued now (and sent as a cookie) when it has none.</summary>
    public static string FindOrIssue(HttpContext http)
    {
        if (Find(http.Request) is { } existing) return existing;
        if (http.Items[CookieName] is string issued) return issued;
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        http.Response.Cookies.Append(CookieName, id, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/api",
            MaxAge = Lifetime,
            IsEssential = true,
        });
        http.Items[CookieName] = id;
        return id;
    }

    /// <summary>The resident id stored for a session: its digest, never the session id itself.</summary>
    public static string ResidentId(string sessionId) => "s-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(sessionId)));
}
