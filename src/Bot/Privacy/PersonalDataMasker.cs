using System.Text;
using System.Text.RegularExpressions;

namespace Bot.Privacy;

/// <summary>
/// Masks phone numbers, citizen ID (CCCD/CMND), bank account numbers and e-mail addresses in free text
/// before it is logged or stored. Any run of 8 or more digits (spaces, dots and dashes allowed between them)
/// keeps only its last 3 digits.
/// </summary>
public static partial class PersonalDataMasker
{
    [GeneratedRegex(@"\+?\d(?:[ .\-]?\d){7,}")]
    private static partial Regex DigitRun();

    [GeneratedRegex(@"[\w.+\-]+@([\w\-]+\.)+\w{2,}")]
    private static partial Regex Email();

    public static string Mask(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var masked = DigitRun().Replace(text, m => MaskDigits(m.Value));
        return Email().Replace(masked, m => "***@" + m.Groups[1].Value + m.Value[(m.Value.LastIndexOf('.') + 1)..]);
    }

    private static string MaskDigits(string run)
    {
        var digits = run.Count(char.IsDigit);
        var keep = 3;
        var sb = new StringBuilder(run.Length);
        var seen = 0;
        foreach (var c in run)
        {
            if (char.IsDigit(c)) sb.Append(++seen > digits - keep ? c : '*');
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
