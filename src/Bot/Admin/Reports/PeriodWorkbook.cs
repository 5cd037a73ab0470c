using Bot.Admin.Analytics;
using Bot.Broadcasts;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Bot.Admin.Reports;

/// <summary>The period's raw tables as an Excel workbook: one sheet per table, numbers as numbers, headers in bold.</summary>
public static class PeriodWorkbook
{
    public sealed record Sheet(string Name, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<object>> Rows);

    public static IReadOnlyList<Sheet> Sheets(AnalyticsFigures f, PeriodReport.Labels labels)
    {
        var t = f.Totals;
        var statuses = f.Broadcasts.SelectMany(b => b.ByStatus.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        return
        [
            new("Tổng hợp", ["Chỉ tiêu", "Số liệu"],
            [
                ["Từ ngày", PeriodReport.Date(f.Period.From)], ["Đến ngày", PeriodReport.Date(f.Period.To)],
                ["Người dân được phục vụ", t.ResidentsServed], ["Câu hỏi", t.Questions], ["Bot trả lời", t.Answered],
                ["Chuyển cán bộ", t.HandedOver], ["Cán bộ đã xử lý", t.HandoversResolved], ["Còn chờ cán bộ", t.HandoversOpen],
                ["Đánh giá hữu ích", t.Helpful], ["Đánh giá chưa hữu ích", t.NotHelpful], ["Người đăng ký nhận tin", t.Subscribers],
                ["Đăng ký mới trong kỳ", t.NewSubscribers], ["Tin thông báo đã gửi", t.Broadcasts], ["Lượt cần gửi", t.Deliveries],
                ["Lượt gửi thành công", t.DeliveriesSent], ["Người nhận được tin", t.ResidentsReached],
            ]),
            new("Theo ngày", ["Ngày", "Kênh", "Câu hỏi", "Bot trả lời", "Chuyển cán bộ"],
                f.Daily.Select(d => (IReadOnlyList<object>)[PeriodReport.Date(d.Day), d.Channel, d.Questions, d.Answered, d.HandedOver]).ToList()),
            new("Câu hỏi", ["Mã", "Câu hỏi", "Chủ đề", "Số lần", "Hữu ích", "Chưa hữu ích"],
                f.TopEntries.Select(e => (IReadOnlyList<object>)[e.FaqId, labels.Entry(e.FaqId), labels.Topic(e.Topic ?? ""), e.Questions, e.Helpful, e.NotHelpful]).ToList()),
            new("Chủ đề", ["Chủ đề", "Số câu hỏi đã trả lời"], f.Topics.Select(x => (IReadOnlyList<object>)[labels.Topic(x.Topic), x.Questions]).ToList()),
            new("Chưa trả lời", ["Câu hỏi", "Số lần"], f.Unanswered.Select(u => (IReadOnlyList<object>)[u.Question, u.Count]).ToList()),
            new("Đánh giá", ["Mã", "Câu hỏi", "Hữu ích", "Chưa hữu ích"],
                f.Feedback.Select(e => (IReadOnlyList<object>)[e.FaqId, labels.Entry(e.FaqId), e.Helpful, e.NotHelpful]).ToList()),
            new("Người đăng ký", ["Ngày", "Kênh", "Người đăng ký"],
                f.Subscribers.Select(s => (IReadOnlyList<object>)[PeriodReport.Date(s.Day), s.Channel, s.Subscribers]).ToList()),
            new("Đăng ký theo chủ đề", ["Chủ đề", "Kênh", "Người đăng ký"],
                f.SubscribersByTopic.Select(s => (IReadOnlyList<object>)[labels.Topic(s.Topic), s.Channel, s.Subscribers]).ToList()),
            new("Tin thông báo", ["Ngày", "Tin", "Mã lịch", "Trạng thái", "Cần gửi", "Đã gửi", .. statuses],
                f.Broadcasts.Select(b => (IReadOnlyList<object>)[$"{VietnamTime.ToLocal(b.StartedAt):dd/MM/yyyy HH:mm}", b.Title, b.CampaignKey ?? "",
                    b.Status, b.Total, b.Sent, .. statuses.Select(s => (object)b.ByStatus.GetValueOrDefault(s))]).ToList()),
        ];
    }

    public static byte[] Write(IReadOnlyList<Sheet> sheets)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new Stylesheet(
                new Fonts(new Font(), new Font(new Bold())),
                new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })),
                new Borders(new Border()),
                new CellFormats(new CellFormat(), new CellFormat { FontId = 1, ApplyFont = true }));
            styles.Stylesheet.Save();
            var list = workbook.Workbook.AppendChild(new Sheets());
            uint id = 1;
            foreach (var sheet in sheets)
            {
                var part = workbook.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                data.Append(new Row(sheet.Header.Select(h => Cell(h, bold: true))));
                foreach (var row in sheet.Rows) data.Append(new Row(row.Select(v => Cell(v, bold: false))));
                part.Worksheet = new Worksheet(new Columns(sheet.Header.Select((_, i) => new Column
                {
                    Min = (uint)i + 1, Max = (uint)i + 1, Width = i == 1 || sheet.Header.Count <= 3 && i == 0 ? 48 : 16, CustomWidth = true,
                })), data);
                part.Worksheet.Save();
                list.Append(new DocumentFormat.OpenXml.Spreadsheet.Sheet { Id = workbook.GetIdOfPart(part), SheetId = id++, Name = sheet.Name });
            }
            workbook.Workbook.Save();
        }
        return stream.ToArray();
    }

    private static Cell Cell(object value, bool bold)
    {
        var cell = value switch
        {
            long or int or double => new Cell { DataType = CellValues.Number, CellValue = new CellValue(Convert.ToDouble(value)) },
            _ => new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(value.ToString() ?? "")) },
        };
        if (bold) cell.StyleIndex = 1;
        return cell;
    }
}
