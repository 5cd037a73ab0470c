using System.ComponentModel;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Bot.Admin;

/// <summary>The "Admin" section: staff sessions and API keys, validated at start-up by <see cref="AdminOptionsValidator"/>.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";
    public const int MinApiKeyLength = 16;

    /// <summary>How long a staff sign-in lasts, however busy the session: it never slides.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Keys accepted as `Authorization: Bearer KEY` (see <see cref="AdminApiKeys"/>).</summary>
    public ApiKeyList ApiKeys { get; set; } = [];
}

/// <summary>
/// Admin:ApiKeys as an array (Admin:ApiKeys:0, Admin__ApiKeys__0) or as one value with the keys separated by commas or
/// semicolons (one environment variable): the converter reads the single value, the binder the array.
/// </summary>
[TypeConverter(typeof(Converter))]
public sealed class ApiKeyList : List<string>
{
    private sealed class Converter : TypeConverter
    {
        public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

        public override object ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
        {
            var keys = new ApiKeyList();
            keys.AddRange(((string)value).Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            return keys;
        }
    }
}

public sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions o)
    {
        if (o.SessionLifetime <= TimeSpan.Zero || o.SessionLifetime > TimeSpan.FromDays(7))
            return ValidateOptionsResult.Fail($"Admin:SessionLifetime: phải lớn hơn 0 và không quá 7 ngày (mặc định 08:00:00; đang là {o.SessionLifetime}).");
        // The key itself is a secret: only its position and length are named.
        var shortKey = o.ApiKeys.Select((key, i) => (Key: key, Number: i + 1)).FirstOrDefault(k => k.Key.Length is > 0 and < AdminOptions.MinApiKeyLength);
        if (shortKey.Key is not null)
            return ValidateOptionsResult.Fail(
                $"Admin:ApiKeys: mỗi khoá API cần ít nhất {AdminOptions.MinApiKeyLength} ký tự (khoá thứ {shortKey.Number} chỉ có {shortKey.Key.Length}).");
        return ValidateOptionsResult.Success;
    }
}
