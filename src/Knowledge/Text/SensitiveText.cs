using System.Text.RegularExpressions;

namespace Knowledge.Text;

/// <summary>Masks phone and ID numbers (9 to 12 digits) before a resident's text is printed or logged.</summary>
public static partial class SensitiveText
{
    [GeneratedRegex(@"(?<!\d)(\d{3})\d{4,7}(\d{2})(?!\d)")]
    private static partial Regex LongNumber();

    /// <summary>"0912345678" → "091*****78".</summary>
    public static string Mask(string text) =>
        LongNumber().Replace(text, m => m.Groups[1].Value + new string('*', m.Length - 5) + m.Groups[2].Value);
}
