using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Bot.Broadcasts;

/// <summary>One wording of a campaign message, with optional per-channel overrides (keys telegram:, zalo:, …).</summary>
public sealed record CampaignText(string Text, IReadOnlyDictionary<string, string> ChannelTexts);

/// <summary>
/// One recurring send of a campaign, scheduled as one Hangfire recurring job with a stable id: a yearly reminder N days
/// before the day, or the rotating tips of a weekly or monthly campaign. Cron (with seconds) is read in Vietnam time.
/// </summary>
public sealed record CampaignPart(string Key, string Title, string? Topic, IReadOnlyList<string> Channels, string Cron,
    CampaignRotation Rotation, IReadOnlyList<CampaignText> Texts)
{
    /// <summary>The wording for the occurrence on localDate: reminders have one; tips take turns.</summary>
    public CampaignText TextFor(DateOnly localDate)
    {
        var turn = Rotation switch
        {
            CampaignRotation.Weekly => (localDate.DayNumber - new DateOnly(2024, 1, 1).DayNumber) / 7,
            CampaignRotation.Monthly => localDate.Year * 12 + localDate.Month - 1,
            _ => localDate.Year,
        };
        return Texts[turn % Texts.Count];
    }
}

public enum CampaignRotation { Yearly, Weekly, Monthly }

/// <summary>A campaigns.yaml that cannot be used; Message lists every problem as "file:line: reason".</summary>
public sealed class CampaignCalendarException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>Reads data/campaigns.yaml (schema in its header comment) into the parts to schedule; all or nothing.</summary>
public static class CampaignCalendar
{
    public const string FileName = "campaigns.yaml";
    private static readonly HashSet<string> CampaignFields = ["id", "title", "topic", "channels", "schedule", "reminders", "tips"];
    private static readonly HashSet<string> ScheduleFields = ["yearly", "weekly", "monthly", "time"];

    /// <summary>The parts of root/campaigns.yaml; none when the file does not exist.</summary>
    public static IReadOnlyList<CampaignPart> Load(string root)
    {
        var path = Path.Combine(root, FileName);
        return File.Exists(path) ? Parse(File.ReadAllText(path)) : [];
    }

    /// <summary>The parts of a campaigns.yaml text; throws <see cref="CampaignCalendarException"/> listing every problem.</summary>
    public static IReadOnlyList<CampaignPart> Parse(string yaml)
    {
        var errors = new List<string>();
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(yaml);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new CampaignCalendarException([$"{FileName}:{e.Start.Line}: YAML không hợp lệ: {e.InnerException?.Message ?? e.Message}"]);
        }
        if (stream.Documents.Count == 0) return [];
        var parts = new List<CampaignPart>();
        var file = new Reader(errors);
        if (stream.Documents[0].RootNode is not YamlMappingNode top)
            throw new CampaignCalendarException([$"{FileName}:1: tệp phải có timezone và campaigns"]);
        if (file.Scalar(top, "timezone") is { } zone && zone != "Asia/Ho_Chi_Minh")
            file.Error(top, "timezone chỉ nhận Asia/Ho_Chi_Minh");
        var ids = new HashSet<string>();
        if (file.Child(top, "campaigns") is YamlSequenceNode campaigns)
            foreach (var node in campaigns)
                if (node is YamlMappingNode campaign) parts.AddRange(file.Campaign(campaign, ids));
                else file.Error(node, "mỗi đợt truyền thông phải có id, title, schedule…");
        else file.Error(top, "thiếu danh sách campaigns");
        if (errors.Count > 0) throw new CampaignCalendarException(errors);
        return parts;
    }

    private sealed class Reader(List<string> errors)
    {
        public void Error(YamlNode node, string reason) => errors.Add($"{FileName}:{node.Start.Line}: {reason}");

        public YamlNode? Child(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        public string? Scalar(YamlMappingNode map, string key) => Child(map, key) switch
        {
            null => null,
            YamlScalarNode { Value: var v } => string.IsNullOrWhiteSpace(v) ? null : v.Trim(),
            var other => Fail(other, $"{key} phải là một giá trị"),
        };

        private string? Fail(YamlNode node, string reason)
        {
            Error(node, reason);
            return null;
        }

        public IEnumerable<CampaignPart> Campaign(YamlMappingNode map, HashSet<string> ids)
        {
            foreach (var key in map.Children.Keys.OfType<YamlScalarNode>().Where(k => !CampaignFields.Contains(k.Value ?? "")))
                Error(key, $"trường lạ \"{key.Value}\"");
            var id = Scalar(map, "id");
            if (id is null) { Error(map, "thiếu id"); yield break; }
            if (!ids.Add(id)) Error(map, $"id \"{id}\" bị trùng");
            var title = Scalar(map, "title") ?? id;
            var topic = Scalar(map, "topic");
            var channels = Child(map, "channels") switch
            {
                null or YamlScalarNode { Value: null or "" } => [],
                YamlSequenceNode list => list.OfType<YamlScalarNode>().Select(c => c.Value!.Trim().ToLowerInvariant()).ToList(),
                YamlScalarNode one => [one.Value!.Trim().ToLowerInvariant()],
                var other => Bad<List<string>>(other, "channels phải là danh sách kênh", []),
            };
            foreach (var channel in channels.Where(c => !BroadcastChannels.Known.Contains(c)))
                Error(map, $"kênh \"{channel}\" không có; chỉ nhận {string.Join(", ", BroadcastChannels.Known)}");
            if (Child(map, "schedule") is not YamlMappingNode schedule) { Error(map, $"đợt \"{id}\" thiếu schedule"); yield break; }
            foreach (var key in schedule.Children.Keys.OfType<YamlScalarNode>().Where(k => !ScheduleFields.Contains(k.Value ?? "")))
                Error(key, $"trường lạ \"{key.Value}\" trong schedule");
            if (!TimeOnly.TryParseExact(Scalar(schedule, "time") ?? "", ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                Error(schedule, "time phải là giờ dạng HH:mm, ví dụ \"08:00\"");
                yield break;
            }
            var at = $"0 {time.Minute} {time.Hour}";

            if (Scalar(schedule, "yearly") is { } yearly)
            {
                if (!DateOnly.TryParseExact(yearly + "/2028", "d/M/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                {
                    Error(schedule, $"yearly phải là \"ngày/tháng\", ví dụ \"10/10\" (đang là \"{yearly}\")");
                    yield break;
                }
                if (Child(map, "reminders") is not YamlSequenceNode reminders || reminders.Children.Count == 0)
                {
                    Error(map, $"đợt hằng năm \"{id}\" cần reminders (daysBefore và text)");
                    yield break;
                }
                foreach (var node in reminders)
                {
                    if (node is not YamlMappingNode reminder) { Error(node, "mỗi reminder cần daysBefore và text"); continue; }
                    if (!int.TryParse(Scalar(reminder, "daysBefore"), out var daysBefore) || daysBefore is < 0 or > 60)
                    {
                        Error(reminder, "daysBefore phải là số ngày từ 0 đến 60");
                        continue;
                    }
                    // 29/2 exists in 2028 only; every other day is counted back in a common year (2027).
                    var referenceDay = day is { Month: 2, Day: 29 } ? day : new DateOnly(2027, day.Month, day.Day);
                    var send = referenceDay.AddDays(-daysBefore);
                    if (Text(reminder) is { } text)
                        yield return new CampaignPart($"{id}.reminder-{daysBefore}", title, topic, channels,
                            $"{at} {send.Day} {send.Month} ?", CampaignRotation.Yearly, [text]);
                }
                yield break;
            }

            string cron;
            CampaignRotation rotation;
            if (Scalar(schedule, "weekly") is { } weekly)
            {
                if (!Enum.TryParse<DayOfWeek>(weekly, true, out var weekday) || int.TryParse(weekly, out _))
                {
                    Error(schedule, $"weekly phải là thứ trong tuần bằng tiếng Anh, ví dụ monday (đang là \"{weekly}\")");
                    yield break;
                }
                cron = $"{at} ? * {weekday.ToString()[..3].ToUpperInvariant()}";
                rotation = CampaignRotation.Weekly;
            }
            else if (Scalar(schedule, "monthly") is { } monthly)
            {
                if (!int.TryParse(monthly, out var dayOfMonth) || dayOfMonth is < 1 or > 28)
                {
                    Error(schedule, $"monthly phải là ngày trong tháng từ 1 đến 28 (đang là \"{monthly}\")");
                    yield break;
                }
                cron = $"{at} {dayOfMonth} * ?";
                rotation = CampaignRotation.Monthly;
            }
            else
            {
                Error(schedule, "schedule cần yearly, weekly hoặc monthly");
                yield break;
            }
            if (Child(map, "tips") is not YamlSequenceNode tips || tips.Children.Count == 0)
            {
                Error(map, $"đợt \"{id}\" cần tips (các mẹo gửi lần lượt)");
                yield break;
            }
            var texts = tips.Select(t => t is YamlMappingNode tip ? Text(tip) : Bad<CampaignText?>(t, "mỗi tip cần text", null))
                .OfType<CampaignText>().ToList();
            if (texts.Count == tips.Children.Count)
                yield return new CampaignPart($"{id}.tips", title, topic, channels, cron, rotation, texts);
        }

        private CampaignText? Text(YamlMappingNode map)
        {
            var text = Scalar(map, "text");
            if (text is null) return Bad<CampaignText?>(map, "thiếu text", null);
            var own = new Dictionary<string, string>();
            foreach (var channel in BroadcastChannels.Known)
                if (Scalar(map, channel) is { } wording) own[channel] = wording;
            foreach (var wording in own.Values.Prepend(text).Where(w => w.Length > BroadcastOptions.MaxTextLength))
                Error(map, $"tin dài {wording.Length} ký tự, quá {BroadcastOptions.MaxTextLength}");
            return new CampaignText(text, own);
        }

        private T Bad<T>(YamlNode node, string reason, T value)
        {
            Error(node, reason);
            return value;
        }
    }
}
