using Knowledge.Text;

namespace Knowledge.Tests;

public class AnswerDecisionTests
{
    [Theory]
    [InlineData("lương hưu tháng này được bao nhiêu", (int)(QuestionKind.Amount | QuestionKind.Current))]
    [InlineData("tháng này lương hưu về ngày mấy vậy", (int)(QuestionKind.Time | QuestionKind.Current))]
    [InlineData("lop o thon toi tuan sau hoc ngay nao", (int)(QuestionKind.Time | QuestionKind.Current))]
    [InlineData("năm nay tôi tròn 40 tuổi có phải đi đổi căn cước không", (int)QuestionKind.YesNo)]
    [InlineData("IV. TỔ CHỨC THỰC HIỆN / Phòng Văn hóa - Xã hội", (int)QuestionKind.Who)]
    [InlineData("đăng kiểm xe ô tô ở đâu gần nhất", (int)(QuestionKind.Place | QuestionKind.Best))]
    [InlineData("mo the ngan hang nao", (int)QuestionKind.Which)]
    [InlineData("bao giờ có kết quả, nộp khi nào", (int)QuestionKind.Time)]
    [InlineData("so hotline ho tro vneid la bao nhieu", (int)QuestionKind.None)]
    [InlineData("cài đặt VNeID như thế nào", (int)QuestionKind.Manner)]
    [InlineData("cập nhật ảnh, bắt đầu từ đầu", (int)QuestionKind.None)]
    [InlineData("muốn đưa mấy loại giấy tờ vào điện thoại", (int)QuestionKind.None)]
    [InlineData("Làm căn cước cho con dưới 14 tuổi có cần về xã không?", (int)(QuestionKind.Child | QuestionKind.YesNo))]
    [InlineData("nhà có ông nội 90 tuổi nằm một chỗ muốn làm căn cước", (int)QuestionKind.Elderly)]
    [InlineData("lam giay to o xa co mat tien khong", (int)(QuestionKind.Fee | QuestionKind.YesNo))]
    [InlineData("ai dạy lớp bình dân học vụ số", (int)QuestionKind.Who)]
    [InlineData("phòng nào chủ trì kế hoạch", (int)(QuestionKind.Which | QuestionKind.Who | QuestionKind.Plan))]
    public void Question_kind(string question, int expected) =>
        Assert.Equal((QuestionKind)expected, QuestionKinds.Of(new TextAnalyzer(Abbreviations.BuiltIn).Analyze(question)));

    [Theory]
    [InlineData("**Miễn phí**: tải ứng dụng, đăng ký đều không mất tiền.", (int)(QuestionKind.YesNo | QuestionKind.Fee))]
    [InlineData("Lệ phí 50.000 đồng, nộp tại bộ phận một cửa.", (int)(QuestionKind.Amount | QuestionKind.Fee | QuestionKind.Place))]
    [InlineData("Hồ sơ giải quyết trong 5 ngày làm việc.", (int)QuestionKind.Time)]
    [InlineData("Con dưới 6 tuổi: cha mẹ làm trên VNeID.", (int)QuestionKind.Child)]
    [InlineData("Phòng Văn hóa chủ trì, phối hợp các đơn vị; báo cáo định kỳ hằng quý.", (int)(QuestionKind.Who | QuestionKind.Time))]
    public void What_an_answer_gives(string answer, int expected) =>
        Assert.Equal((QuestionKind)expected, QuestionKinds.GivenBy(new TextAnalyzer(Abbreviations.BuiltIn).Analyze(answer)));
}
