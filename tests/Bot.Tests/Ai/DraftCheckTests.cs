using Bot.Ai;

namespace Bot.Tests.Ai;

public sealed class DraftCheckTests
{
    private static readonly AnswerSource[] Retrieved =
    [
        new("S1", "dvc-le-phi", null, "Thông tư 85/2019/TT-BTC", "Lệ phí đăng ký thường trú bao nhiêu?",
            "Nộp trực tuyến: 10.000 đồng. Gọi đường dây nóng 0210 3 123 456 hoặc xem https://dichvucong.gov.vn/p/home. Hạn 15/12."),
        new("S2", "dvc-khac", null, null, "Một câu khác", "Làm trong 3 ngày làm việc."),
    ];

    private static string? Check(string draft) => DraftCheck.Problem(draft, Retrieved, out _);

    [Theory]
    [InlineData("Nộp trực tuyến mất 10.000 đồng [S1].")]
    [InlineData("Nộp trực tuyến mất 10000 đồng [S1].")]
    [InlineData("Bà con gọi 0210.3.123.456 [S1].")]
    [InlineData("1. Vào dichvucong.gov.vn/p/home [S1].\n2. Nộp trước 15/12 [S1].")]
    [InlineData("Nộp trên https://dichvucong.gov.vn [S1], xong trong 3 ngày làm việc [S2].")]
    [InlineData("Nộp trên mạng [S1, S2].")]
    [InlineData("Nộp trên mạng [dvc-le-phi].")]
    public void A_draft_whose_facts_are_in_its_cited_sources_passes(string draft) => Assert.Null(Check(draft));

    [Theory]
    [InlineData("Nộp trực tuyến mất 20.000 đồng [S1].", "a number not in the cited sources")]
    [InlineData("Xong trong 3 ngày làm việc [S1].", "a number not in the cited sources")] // the fact is in S2, which it did not cite
    [InlineData("Hạn 15/11 [S1].", "a number not in the cited sources")]
    [InlineData("Xem https://dichvucong.gov.vn.com [S1].", "a link not in the cited sources")]
    [InlineData("Xem thêm [S3].", "cites a source that was not retrieved")]
    [InlineData("Nộp trên mạng.", "no source cited")]
    [InlineData("", "empty draft")]
    public void A_draft_with_a_fact_no_cited_source_holds_is_refused(string draft, string problem) => Assert.Equal(problem, Check(draft));

    [Fact]
    public void The_resident_reads_no_markers_and_the_cited_sources_citation()
    {
        Assert.Null(DraftCheck.Problem("Nộp trực tuyến mất 10.000 đồng [S1]. Xong trong 3 ngày làm việc [S2].", Retrieved, out var cited));
        Assert.Equal("Nộp trực tuyến mất 10.000 đồng. Xong trong 3 ngày làm việc.\n\n(Nguồn: Thông tư 85/2019/TT-BTC)",
            DraftCheck.ForResident("Nộp trực tuyến mất 10.000 đồng [S1]. Xong trong 3 ngày làm việc [S2].", cited));
    }
}
