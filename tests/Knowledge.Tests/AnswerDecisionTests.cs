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

    [Fact]
    public void Logistic_regression_learns_which_side_is_right()
    {
        var rows = Enumerable.Range(0, 40).Select(i => (new[] { i / 40.0, (i % 3) / 3.0 }, i >= 20 ^ i % 7 == 0)).ToList();
        var model = LogisticRegression.Fit(rows);

        Assert.True(model.Weights[0] > 1, $"weight {model.Weights[0]}");
        Assert.True(model.Probability([0.9, 0]) > 0.5);
        Assert.True(model.Probability([0.1, 0]) < 0.5);
    }
}
