using System.Text.RegularExpressions;

namespace Bot.Conversation;

/// <summary>
/// The commune's own facts (<see cref="CommuneOptions"/>), filled into FAQ answers through placeholders such as
/// {commune.hotline}. A missing value becomes a sensible Vietnamese phrase, never a raw placeholder.
/// </summary>
public sealed partial class CommuneFacts
{
    private static readonly Dictionary<string, string> Fallbacks = new(StringComparer.OrdinalIgnoreCase)
    {
        ["name"] = "xã",
        ["address"] = "trụ sở UBND xã",
        ["officeHours"] = "giờ hành chính các ngày làm việc",
        ["hotline"] = "số điện thoại của UBND xã niêm yết tại trụ sở",
        ["digitalTeam"] = "Tổ công nghệ số cộng đồng ở thôn, tổ dân phố",
        ["policeContact"] = "Công an xã",
        ["zaloOa"] = "Zalo OA của UBND xã",
        ["telegram"] = "kênh Telegram của UBND xã",
    };

    private readonly Dictionary<string, string> values = new(StringComparer.OrdinalIgnoreCase);

    public CommuneFacts(CommuneOptions options)
    {
        foreach (var (key, value) in options.Facts())
            if (!string.IsNullOrWhiteSpace(value))
                values[key] = value.Trim();
    }

    /// <summary>"xã Vĩnh Phong" when configured, else "xã".</summary>
    public string Name => Get("name");

    public string Get(string key) => values.TryGetValue(key, out var v) ? v : Fallbacks.GetValueOrDefault(key, "");

    public bool Has(string key) => values.ContainsKey(key);

    [GeneratedRegex(@"\{commune\.([A-Za-z]+)\}")]
    private static partial Regex Placeholder();

    public string Fill(string text) => Placeholder().Replace(text, m =>
        Fallbacks.ContainsKey(m.Groups[1].Value) ? Get(m.Groups[1].Value) : m.Value);
}
