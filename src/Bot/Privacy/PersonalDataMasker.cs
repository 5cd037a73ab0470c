using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bot.Privacy;

/// <summary>
/// Masks phone numbers, citizen ID (CCCD/CMND), bank account numbers and e-mail addresses in free text
/// before it is logged or stored. Any run of 8 or more digits keeps only its last 3 digits; between two digits
/// it may have up to two of space . - / ( ) — "0912  345  678", "(091) 234-5678", "0912/345/678".
/// Dates (04/03/2026) are not numbers of a person and are left alone.
/// </summary>
public static partial class PersonalDataMasker
{
    [GeneratedRegex(@"\+?\d(?:[ .\-/()]{0,2}\d){7,}")]
    private static partial Regex DigitRun();

    [GeneratedRegex(@"(?<!\d)\d{1,2}/\d{1,2}/\d{2,4}(?!\d)")]
    private static partial Regex Date();

    [GeneratedRegex(@"[\w.+\-]+@([\w\-]+\.)+\w{2,}")]
    private static partial Regex Email();

    public static string Mask(string? text) => Mask(text, keepLength: false);

    /// <summary>
    /// Masks every string in a JSON document except machine identifiers ("id", "data", file ids), which numbers
    /// are needed to answer, and Zalo's "timestamp" (the time of the resident's message, which opens the OA's free window). Masking keeps each string's length, so text offsets (Telegram entities) stay valid.
    /// A document with nothing to mask (most messages) is returned as it came, without writing it again.
    /// </summary>
    public static string MaskJson(string json)
    {
        if (!AnyStringToMask(json)) return json;
        var root = JsonNode.Parse(json);
        return root is not null && MaskNode(root) ? root.ToJsonString(JsonOptions) : json;
    }

    /// <summary>
    /// One forward read of the document: whether a string that is not a machine identifier might hold a number or an
    /// address. Most updates hold neither, and are then not built into a tree at all.
    /// </summary>
    private static bool AnyStringToMask(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var identifier = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    identifier = IdentifierKeys.Contains(reader.GetString()!);
                    break;
                case JsonTokenType.String:
                    // Only a property's own value is an identifier; strings in arrays are always looked at, as MaskNode does.
                    if (!identifier && MightHold(reader.GetString()!)) return true;
                    identifier = false;
                    break;
                default:
                    identifier = false;
                    break;
            }
        }
        return false;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly HashSet<string> IdentifierKeys = ["id", "data", "file_id", "file_unique_id", "chat_instance", "inline_message_id", "timestamp"];

    /// <summary>Masks the strings under node in place; true when one changed.</summary>
    private static bool MaskNode(JsonNode node)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (value is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        if (!IdentifierKeys.Contains(key) && Mask(s, keepLength: true) is var masked && masked != s)
                        {
                            obj[key] = masked;
                            changed = true;
                        }
                    }
                    else if (value is not null) changed |= MaskNode(value);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        if (Mask(s, keepLength: true) is var masked && masked != s)
                        {
                            array[i] = masked;
                            changed = true;
                        }
                    }
                    else if (array[i] is { } child) changed |= MaskNode(child);
                }
                break;
        }
        return changed;
    }

    /// <summary>What every mask needs: 8 digits for a number, an @ for an address. Most texts have neither.</summary>
    private static bool MightHold(string text) => text.Contains('@') || text.Count(char.IsDigit) >= 8;

    private static string Mask(string? text, bool keepLength)
    {
        if (string.IsNullOrEmpty(text) || !MightHold(text)) return text ?? "";
        var masked = DigitRun().Replace(text, m => Date().IsMatch(m.Value) ? m.Value : MaskDigits(m.Value));
        return Email().Replace(masked, m =>
        {
            var at = m.Value.IndexOf('@');
            return keepLength
                ? new string('*', at) + m.Value[at..]
                : "***@" + m.Groups[1].Value + m.Value[(m.Value.LastIndexOf('.') + 1)..];
        });
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
