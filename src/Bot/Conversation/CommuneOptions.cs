using Microsoft.Extensions.Options;

namespace Bot.Conversation;

/// <summary>The "Commune" section: the commune's own facts, filled into answers by <see cref="CommuneFacts"/>.</summary>
public sealed class CommuneOptions
{
    public const string Section = "Commune";

    /// <summary>Longest fact: each one is filled into a sentence of an answer.</summary>
    public const int MaxLength = 200;

    /// <summary>e.g. "xã Vĩnh Phong".</summary>
    public string? Name { get; set; }
    public string? Address { get; set; }
    public string? OfficeHours { get; set; }
    public string? Hotline { get; set; }
    public string? DigitalTeam { get; set; }
    public string? PoliceContact { get; set; }
    public string? ZaloOa { get; set; }
    public string? Telegram { get; set; }

    /// <summary>Every fact by its key (the placeholder {commune.officeHours} is the key OfficeHours), set or not.</summary>
    public IEnumerable<(string Key, string? Value)> Facts() =>
    [
        (nameof(Name), Name), (nameof(Address), Address), (nameof(OfficeHours), OfficeHours), (nameof(Hotline), Hotline),
        (nameof(DigitalTeam), DigitalTeam), (nameof(PoliceContact), PoliceContact), (nameof(ZaloOa), ZaloOa), (nameof(Telegram), Telegram),
    ];
}

public sealed class CommuneOptionsValidator : IValidateOptions<CommuneOptions>
{
    public ValidateOptionsResult Validate(string? name, CommuneOptions o)
    {
        foreach (var (key, value) in o.Facts())
        {
            var text = value?.Trim() ?? "";
            if (text.Any(char.IsControl))
                return ValidateOptionsResult.Fail($"Commune:{key}: phải viết trên một dòng (không xuống dòng, không ký tự điều khiển) vì được chèn vào giữa câu trả lời.");
            if (text.Length > CommuneOptions.MaxLength)
                return ValidateOptionsResult.Fail($"Commune:{key}: dài quá {CommuneOptions.MaxLength} ký tự (đang có {text.Length}); thông tin này được chèn vào giữa câu trả lời nên cần ngắn gọn.");
        }
        return ValidateOptionsResult.Success;
    }
}
