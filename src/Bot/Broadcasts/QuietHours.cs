using System.Globalization;

namespace Bot.Broadcasts;

/// <summary>
/// The nightly window (Broadcasts:QuietHours, "21:00-07:00" by default, Vietnam time) in which no broadcast message is
/// sent; whatever falls due inside it waits for its end. An empty setting turns it off.
/// </summary>
public sealed record QuietHours(TimeOnly Start, TimeOnly End)
{
    public const string Default = "21:00-07:00";
    public static readonly QuietHours None = new(TimeOnly.MinValue, TimeOnly.MinValue);

    /// <summary>null means the default; "" turns quiet hours off.</summary>
    public static QuietHours Parse(string? text)
    {
        text ??= Default;
        if (string.IsNullOrWhiteSpace(text)) return None;
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length == 2 && TryTime(parts[0], out var start) && TryTime(parts[1], out var end) && start != end)
            return new QuietHours(start, end);
        throw new StartupException("Broadcasts:QuietHours",
            $"phải có dạng giờ bắt đầu-giờ kết thúc, ví dụ {Default}; để trống nếu không cần giờ nghỉ (đang là \"{text}\").");
    }

    private static bool TryTime(string text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    public bool IsQuiet(DateTimeOffset at)
    {
        if (this == None) return false;
        var time = TimeOnly.FromTimeSpan(VietnamTime.ToLocal(at).TimeOfDay);
        return Start < End ? time >= Start && time < End : time >= Start || time < End;
    }

    /// <summary>at itself when sending is allowed then, else the end of the quiet window it falls in.</summary>
    public DateTimeOffset NextAllowed(DateTimeOffset at)
    {
        if (!IsQuiet(at)) return at;
        var local = VietnamTime.ToLocal(at);
        var endDay = Start > End && TimeOnly.FromTimeSpan(local.TimeOfDay) >= Start ? local.Date.AddDays(1) : local.Date;
        return new DateTimeOffset(endDay + End.ToTimeSpan(), local.Offset).ToUniversalTime();
    }

    public override string ToString() => this == None ? "" : $"{Start:HH:mm}-{End:HH:mm}";
}
