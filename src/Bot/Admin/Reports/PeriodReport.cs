using System.Globalization;
using Bot.Admin.Analytics;
using Bot.Broadcasts;
using Bot.Storage;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Bot.Admin.Reports;

/// <summary>
/// The period's figures as a Word document in the shape of a commune report to the district: numbered sections,
/// short narrative lines filled with the figures, and tables (by channel, by topic, per broadcast of a campaign day),
/// in Times New Roman 13 pt as administrative documents are written.
/// </summary>
public static class PeriodReport
{
    public sealed record Labels(string Commune, Func<string, string> Topic, Func<string, string> Entry, DateTimeOffset MadeAt);

    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    public static string N(long value) => value.ToString("#,0", Vietnamese);

    public static string Percent(long part, long whole) => whole == 0 ? "0%" : (100.0 * part / whole).ToString("0.#", Vietnamese) + "%";

    public static string Date(DateOnly day) => day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>The narrative lines of section I, also checked by the tests against the figures.</summary>
    public static IReadOnlyList<string> ServiceLines(AnalyticsFigures f)
    {
        var t = f.Totals;
        return
        [
            $"Trong kỳ, trợ lý số đã phục vụ {N(t.ResidentsServed)} người dân với {N(t.Questions)} câu hỏi trên các kênh Zalo, Telegram và trang web của xã.",
            $"Trợ lý số tự trả lời {N(t.Answered)} câu hỏi ({Percent(t.Answered, t.Questions)}); chuyển cho cán bộ {N(t.HandedOver)} câu hỏi ({Percent(t.HandedOver, t.Questions)}).",
            $"Cán bộ đã xử lý {N(t.HandoversResolved)} câu hỏi được chuyển trong kỳ; còn {N(t.HandoversOpen)} câu hỏi đang chờ trả lời.",
            $"Người dân đánh giá {N(t.Helpful)} câu trả lời là hữu ích và {N(t.NotHelpful)} câu trả lời là chưa hữu ích.",
        ];
    }

    public static IReadOnlyList<string> BroadcastLines(AnalyticsFigures f)
    {
        var t = f.Totals;
        return
        [
            $"Đã gửi {N(t.Broadcasts)} tin thông báo, tuyên truyền với {N(t.DeliveriesSent)} lượt gửi thành công trên {N(t.Deliveries)} lượt cần gửi, đến được {N(t.ResidentsReached)} người dân.",
            $"Hiện có {N(t.Subscribers)} người dân đăng ký nhận tin, trong đó {N(t.NewSubscribers)} người đăng ký mới trong kỳ.",
        ];
    }

    public static byte[] Write(AnalyticsFigures f, Labels labels)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            AddStyles(main);
            var body = new Body();
            var p = f.Period;
            body.Append(
                Text(labels.Commune.ToUpper(Vietnamese), bold: true, center: true),
                Text("BÁO CÁO", bold: true, center: true, size: 28),
                Text("Kết quả hoạt động của trợ lý số hỗ trợ người dân", bold: true, center: true),
                Text($"(Từ ngày {Date(p.From)} đến ngày {Date(p.To)})", italic: true, center: true));

            body.Append(Heading("I. KẾT QUẢ HỖ TRỢ NGƯỜI DÂN"));
            foreach (var line in ServiceLines(f)) body.Append(Text(line));
            body.Append(Text("Số câu hỏi theo kênh:", italic: true));
            body.Append(Table(["Kênh", "Câu hỏi", "Bot trả lời", "Chuyển cán bộ"],
                f.Daily.GroupBy(d => d.Channel).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new[]
                {
                    AnalyticsEndpoints.ChannelName(g.Key), N(g.Sum(d => d.Questions)), N(g.Sum(d => d.Answered)), N(g.Sum(d => d.HandedOver)),
                }).Append(["Tổng cộng", N(f.Totals.Questions), N(f.Totals.Answered), N(f.Totals.HandedOver)])));

            body.Append(Heading("II. NỘI DUNG NGƯỜI DÂN QUAN TÂM"));
            body.Append(Text("1. Câu hỏi đã trả lời theo chủ đề:", italic: true));
            body.Append(Table(["Chủ đề", "Số câu hỏi"], f.Topics.Select(t => new[] { labels.Topic(t.Topic), N(t.Questions) })));
            body.Append(Text("2. Các câu hỏi được hỏi nhiều nhất:", italic: true));
            body.Append(Table(["TT", "Câu hỏi", "Số lần", "Hữu ích", "Chưa hữu ích"],
                f.TopEntries.Select((e, i) => new[] { $"{i + 1}", labels.Entry(e.FaqId), N(e.Questions), N(e.Helpful), N(e.NotHelpful) })));
            body.Append(Text("3. Câu hỏi trợ lý số chưa trả lời được nhiều nhất (cần bổ sung nội dung):", italic: true));
            body.Append(Table(["TT", "Câu hỏi của người dân", "Số lần"], f.Unanswered.Select((u, i) => new[] { $"{i + 1}", u.Question, N(u.Count) })));

            body.Append(Heading("III. THÔNG TIN, TUYÊN TRUYỀN"));
            foreach (var line in BroadcastLines(f)) body.Append(Text(line));
            body.Append(Text("Kết quả gửi tin theo từng ngày, đợt truyền thông:", italic: true));
            body.Append(Table(["Ngày", "Đợt truyền thông / tin", "Cần gửi", "Đã gửi", "Không gửi được"],
                f.Broadcasts.Select(b => new[]
                {
                    $"{VietnamTime.ToLocal(b.StartedAt):dd/MM/yyyy}", b.Title, N(b.Total), N(b.Sent),
                    N(b.ByStatus.Where(s => s.Key is DeliveryStatus.Failed or DeliveryStatus.Blocked or DeliveryStatus.Uncertain).Sum(s => s.Value)),
                })));
            body.Append(Text("Người đăng ký nhận tin theo chủ đề và kênh:", italic: true));
            var channels = f.SubscribersByTopic.Select(s => s.Channel).Distinct().Order(StringComparer.Ordinal).ToList();
            body.Append(Table(["Chủ đề", .. channels.Select(AnalyticsEndpoints.ChannelName)],
                f.SubscribersByTopic.GroupBy(s => s.Topic).Select(g => (string[])
                    [labels.Topic(g.Key), .. channels.Select(c => N(g.Where(s => s.Channel == c).Sum(s => s.Subscribers)))])));

            body.Append(Text($"Số liệu trích tự động từ trợ lý số của {labels.Commune} lúc {VietnamTime.ToLocal(labels.MadeAt):HH:mm 'ngày' dd/MM/yyyy}.", italic: true));
            body.Append(new SectionProperties(new PageMargin { Top = 1134, Bottom = 1134, Left = 1701, Right = 1134 }));
            main.Document = new Document(body);
            main.Document.Save();
        }
        return stream.ToArray();
    }

    /// <summary>Times New Roman 13 pt, single spacing with a little space after each paragraph.</summary>
    private static void AddStyles(MainDocumentPart main)
    {
        var styles = main.AddNewPart<StyleDefinitionsPart>();
        styles.Styles = new Styles(new DocDefaults(
            new RunPropertiesDefault(new RunPropertiesBaseStyle(
                new RunFonts { Ascii = "Times New Roman", HighAnsi = "Times New Roman", ComplexScript = "Times New Roman", EastAsia = "Times New Roman" },
                new FontSize { Val = "26" }, new FontSizeComplexScript { Val = "26" }, new Languages { Val = "vi-VN" })),
            new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(new SpacingBetweenLines { After = "120", Line = "276", LineRule = LineSpacingRuleValues.Auto }))));
        styles.Styles.Save();
    }

    private static Paragraph Heading(string text) => Text(text, bold: true, spaceBefore: true);

    private static Paragraph Text(string text, bool bold = false, bool italic = false, bool center = false, int? size = null, bool spaceBefore = false)
    {
        var run = new Run();
        var properties = new RunProperties();
        if (bold) properties.Append(new Bold());
        if (italic) properties.Append(new Italic());
        if (size is { } s) properties.Append(new FontSize { Val = s.ToString(CultureInfo.InvariantCulture) });
        if (properties.HasChildren) run.Append(properties);
        run.Append(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
        var paragraph = new Paragraph();
        var paragraphProperties = new ParagraphProperties();
        if (spaceBefore) paragraphProperties.Append(new SpacingBetweenLines { Before = "240" });
        paragraphProperties.Append(new Justification { Val = center ? JustificationValues.Center : JustificationValues.Both });
        paragraph.Append(paragraphProperties, run);
        return paragraph;
    }

    private static Table Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var border = () => new TableBorders(
            new TopBorder { Val = BorderValues.Single, Size = 4 }, new BottomBorder { Val = BorderValues.Single, Size = 4 },
            new LeftBorder { Val = BorderValues.Single, Size = 4 }, new RightBorder { Val = BorderValues.Single, Size = 4 },
            new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 });
        var table = new Table(new TableProperties(border(), new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct }));
        table.Append(Row(header, bold: true));
        var any = false;
        foreach (var row in rows)
        {
            table.Append(Row(row, bold: false));
            any = true;
        }
        if (!any) table.Append(Row([.. header.Select((_, i) => i == 0 ? "Không có số liệu trong kỳ" : "")], bold: false));
        return table;
    }

    private static TableRow Row(IReadOnlyList<string> cells, bool bold) => new(cells.Select(cell => new TableCell(
        new TableCellProperties(new TableCellMargin(new LeftMargin { Width = "80", Type = TableWidthUnitValues.Dxa },
            new RightMargin { Width = "80", Type = TableWidthUnitValues.Dxa })),
        new Paragraph(new ParagraphProperties(new SpacingBetweenLines { After = "0" }),
            new Run(bold ? new RunProperties(new Bold()) : new RunProperties(), new Text(cell) { Space = SpaceProcessingModeValues.Preserve })))));
}
