using System.Security.Cryptography;
using System.Text;

namespace Bot.Channels;

/// <summary>Compares a presented webhook secret with the configured one in constant time.</summary>
public static class WebhookSecret
{
    public static bool Matches(string? configured, string? presented)
    {
        if (string.IsNullOrEmpty(configured) || string.IsNullOrEmpty(presented)) return false;
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(configured)), SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
    }
}
