namespace Bot.Broadcasts;

/// <summary>Asia/Ho_Chi_Minh: every broadcast time (calendar, quiet hours, staff's sendAt shown back) is read in it.</summary>
public static class VietnamTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");

    public static DateTimeOffset ToLocal(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone);
}
