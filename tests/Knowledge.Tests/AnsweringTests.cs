using System.Text;

namespace Knowledge.Tests;

public class AnsweringTests
{
    private static KnowledgeBase Kb => Fixture.KnowledgeBase;

    [Theory]
    [InlineData("Quên mật khẩu VNeID thì lấy lại thế nào?")]
    [InlineData("quen mat khau vneid")]
    [InlineData("QUÊN MẬT KHẨU VNEID")]
    [InlineData("ko dang nhap dc vneid vi quen mk")]
    [InlineData("qen mat khau vneid")]
    [InlineData("quên mât khẩu vneid")]
    [InlineData("matkhau vneid bi quen")]
    public void Finds_the_entry_however_residents_type_it(string question)
    {
        var answer = Kb.Ask(question);
        Assert.True(answer.Answered, $"abstained on \"{question}\" ({answer.Score})");
        Assert.Equal("vneid-quen-mat-khau", answer.FaqId);
    }

    [Fact]
    public void Decomposed_question_is_answered_like_the_composed_one()
    {
        var answer = Kb.Ask("Quên mật khẩu VNeID".Normalize(NormalizationForm.FormD));
        Assert.Equal("vneid-quen-mat-khau", answer.FaqId);
    }

    [Theory]
    [InlineData("thanh toán hoá đơn tiền điện", "tt-hoa-don-dien")]
    [InlineData("sổ sức khoẻ điện tử", "tt-so-suc-khoe")]
    [InlineData("doi sdt vneid", "vneid-doi-so-dien-thoai")]
    [InlineData("tich hop gplx vao vneid", "vneid-tich-hop-giay-to")]
    [InlineData("tích hợp bhyt lên vneid", "vneid-tich-hop-giay-to")]
    [InlineData("làm khai sinh online cho con", "dvc-khai-sinh-truc-tuyen")]
    public void Answers_tone_variants_and_abbreviations(string question, string expected) =>
        Assert.Equal(expected, Kb.Ask(question).FaqId);

    [Fact]
    public void Accented_question_prefers_the_entry_whose_diacritics_match()
    {
        Assert.Equal("vneid-xac-thuc-khuon-mat", Kb.Ask("mặt", top: 3).Results[0].FaqId);
        Assert.Equal("vneid-quen-mat-khau", Kb.Ask("mật", top: 3).Results[0].FaqId);
        var folded = Kb.Ask("mat", top: 5).Results.Select(r => r.FaqId).ToList();
        Assert.Contains("vneid-xac-thuc-khuon-mat", folded);
        Assert.Contains("vneid-quen-mat-khau", folded);
    }

    [Theory]
    [InlineData("giá vàng hôm nay")]
    [InlineData("thủ tục xin giấy phép xây dựng")]
    [InlineData("thời tiết mai thế nào")]
    [InlineData("cho tôi số đề")]
    [InlineData("cho tôi hỏi làm sao ở đâu xã")]
    [InlineData("gia vang hom nay")]
    [InlineData("thoi tiet mai the nao")]
    [InlineData("cho toi so de")]
    [InlineData("")]
    public void Abstains_on_off_topic_and_uncovered_questions(string question)
    {
        var answer = Kb.Ask(question);
        Assert.False(answer.Answered, $"answered \"{question}\" with {answer.FaqId ?? answer.Citation} ({answer.Score})");
        Assert.Null(answer.FaqId);
        Assert.Null(answer.Text);
    }

    [Fact]
    public void Threshold_is_configurable()
    {
        var strict = KnowledgeBase.Load(Fixture.KnowledgeRoot, new AnswerOptions(Threshold: 1.01));
        Assert.False(strict.Ask("quên mật khẩu vneid").Answered);
    }

    [Fact]
    public void Faq_answer_keeps_placeholders_and_cites_its_source()
    {
        var answer = Kb.Ask("quên mật khẩu vneid");
        Assert.Contains("{commune.name}", answer.Text);
        Assert.Equal("Hướng dẫn của Bộ Công an về ứng dụng VNeID", answer.Citation);
        Assert.Null(answer.Document);
        Assert.DoesNotContain("vneid-quen-mat-khau", answer.Related);
        Assert.InRange(answer.Related.Count, 0, 3);
    }

    [Fact]
    public void Document_passage_answers_with_its_citation()
    {
        var answer = Kb.Ask("phong trào bình dân học vụ số");
        Assert.True(answer.Answered);
        Assert.Null(answer.FaqId);
        Assert.Equal("vinh-phong-52.txt", answer.Document);
        Assert.Equal("Kế hoạch số 52/KH-UBND ngày 04/03/2026 của UBND xã Vĩnh Phong, mục IV.2", answer.Citation);
        Assert.Contains("Bình dân học vụ số", answer.Text);
    }

    [Fact]
    public void Faq_entries_and_document_chunks_rank_together()
    {
        var results = Kb.Ask("hướng dẫn người dân sử dụng định danh điện tử và dịch vụ công trực tuyến", top: 10).Results;
        Assert.Contains(results, r => r.FaqId is not null);
        Assert.Contains(results, r => r.Document is not null);
        Assert.Equal(10, results.Count);
    }
}
