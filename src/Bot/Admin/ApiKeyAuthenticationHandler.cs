using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Bot.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Bot.Admin;

/// <summary>`Authorization: Bearer KEY` with a key from Admin:ApiKeys (for scripts and integrations).</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AdminApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.NoResult());
        var index = keys.Match(header["Bearer ".Length..].Trim());
        if (index < 0)
            return Task.FromResult(AuthenticateResult.Fail("Khoá API không hợp lệ."));
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, $"api-key#{index + 1}"), new Claim(ClaimTypes.Role, StaffRoles.Admin)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

/// <summary>The keys of Admin:ApiKeys (checked by <see cref="AdminOptionsValidator"/>), compared in constant time through their SHA-256 digests.</summary>
public sealed class AdminApiKeys(AdminOptions options)
{
    private readonly byte[][] digests = options.ApiKeys.Where(k => k.Length > 0).Select(Digest).ToArray();

    public int Match(string presented)
    {
        var digest = Digest(presented);
        var found = -1;
        for (var i = 0; i < digests.Length; i++)
            if (CryptographicOperations.FixedTimeEquals(digests[i], digest)) found = i;
        return found;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
