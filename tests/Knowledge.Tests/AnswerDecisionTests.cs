using Knowledge.Text;

namespace Knowledge.Tests;

public class AnswerDecisionTests
{
    [Theory]
    [InlineData("lương hưu tháng này được bao nhiêu", (int)QuestionIntent.Amount)]
    [InlineData("đăng kiểm xe ô tô ở đâu gần nhất", (int)(QuestionIntent.Place | QuestionIntent.Best))]
    [InlineData("mo the ngan hang nao", (int)QuestionIntent.Which)]
    [InlineData("bao giờ có kết quả, nộp khi nào", (int)QuestionIntent.Time)]
    [InlineData("so hotline ho tro vneid la bao nhieu", (int)QuestionIntent.None)]
    [InlineData("cài đặt VNeID như thế nào", (int)QuestionIntent.None)]
    [InlineData("cập nhật ảnh, bắt đầu từ đầu", (int)QuestionIntent.None)]
    [InlineData("muốn đưa mấy loại giấy tờ vào điện thoại", (int)QuestionIntent.None)]
    public void Question_intent(string question, int expected) =>
        Assert.Equal((QuestionIntent)expected, QuestionIntents.Of(new TextAnalyzer(Abbreviations.BuiltIn).Analyze(question)));
}
