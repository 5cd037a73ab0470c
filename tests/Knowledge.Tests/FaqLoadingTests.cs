namespace Knowledge.Tests;

public class FaqLoadingTests
{
    private const string Valid = """
        topic: vneid
        title: Định danh điện tử
        entries:
          - id: vneid-quen-mat-khau
            question: Quên mật khẩu VNeID?
            answer: Chọn Quên mật khẩu trong ứng dụng.
        """;

    private static KnowledgeBaseException LoadFails(TempKnowledgeBase kb) =>
        Assert.Throws<KnowledgeBaseException>(() => KnowledgeBase.Load(kb.Root));

    [Fact]
    public void Loads_topics_entries_links_and_sources()
    {
        var kb = Fixture.KnowledgeBase;
        Assert.Equal(["dich-vu-cong", "thanh-toan", "vneid"], kb.Topics.Select(t => t.Id));
        var entry = kb.FindEntry("dvc-dang-ky-tai-khoan")!;
        Assert.Equal("dich-vu-cong", entry.Topic);
        Assert.Equal([new FaqLink("Cổng dịch vụ công quốc gia", "https://dichvucong.gov.vn")], entry.Links);
        Assert.Equal("Hướng dẫn của Bộ Công an về ứng dụng VNeID", kb.FindEntry("vneid-quen-mat-khau")!.Source);
        Assert.Null(kb.FindEntry("khong-co"));
        Assert.Single(kb.Documents);
        Assert.Equal(kb.Documents[0].Chunks.Count, kb.Chunks.Count());
    }

    [Fact]
    public void Broken_yaml_reports_file_and_line()
    {
        using var kb = new TempKnowledgeBase();
        kb.Write("faq/broken.yaml", "topic: vneid\ntitle: Định danh\nentries:\n  - id: a\n    question: [Quên mật khẩu\n    answer: x\n");
        var error = Assert.Single(LoadFails(kb).Errors);
        Assert.Equal("faq/broken.yaml", error.File);
        Assert.InRange(error.Line, 5, 7);
        Assert.StartsWith("YAML không hợp lệ", error.Message);
    }

    [Fact]
    public void Duplicate_id_in_two_files_names_both_places()
    {
        using var kb = new TempKnowledgeBase();
        kb.Write("faq/a.yaml", Valid);
        kb.Write("faq/b.yaml", Valid.Replace("topic: vneid", "topic: khac"));
        var error = Assert.Single(LoadFails(kb).Errors);
        Assert.Equal("faq/b.yaml", error.File);
        Assert.Equal(4, error.Line);
        Assert.Contains("vneid-quen-mat-khau", error.Message);
        Assert.Contains("faq/a.yaml:4", error.Message);
    }

    [Fact]
    public void Missing_answer_and_unknown_field_are_reported_with_their_lines()
    {
        using var kb = new TempKnowledgeBase();
        kb.Write("faq/vneid.yaml", """
            topic: vneid
            title: Định danh điện tử
            entries:
              - id: thieu-tra-loi
                question: Câu hỏi không có trả lời?
              - id: sai-truong
                question: Câu hỏi có trường lạ?
                answer: Có.
                anwser: gõ nhầm
            """);
        var errors = LoadFails(kb).Errors;
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Line == 4 && e.Message.Contains("\"answer\"") && e.Message.Contains("thieu-tra-loi"));
        Assert.Contains(errors, e => e.Line == 9 && e.Message.Contains("anwser"));
    }

    [Fact]
    public void Missing_id_and_question_and_wrong_types_are_reported()
    {
        using var kb = new TempKnowledgeBase();
        kb.Write("faq/x.yaml", """
            title: Không có mã chủ đề
            entries:
              - answer: Không có mã và câu hỏi.
                tags: một chuỗi
            """);
        var errors = LoadFails(kb).Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(errors, e => e.StartsWith("faq/x.yaml:1:") && e.Contains("\"topic\""));
        Assert.Contains(errors, e => e.StartsWith("faq/x.yaml:3:") && e.Contains("\"id\""));
        Assert.Contains(errors, e => e.StartsWith("faq/x.yaml:3:") && e.Contains("\"question\""));
        Assert.Contains(errors, e => e.StartsWith("faq/x.yaml:4:") && e.Contains("\"tags\""));
    }

    [Fact]
    public void Every_error_of_every_file_is_reported_at_once_and_nothing_is_loaded()
    {
        using var kb = new TempKnowledgeBase();
        kb.Write("faq/good.yaml", Valid);
        kb.Write("faq/bad1.yaml", "topic: a\ntitle: A\nentries:\n  - id: x\n    question: Q?\n");
        kb.Write("faq/bad2.yaml", "topic: b\ntitle: B\nentries: {không: đúng\n");
        var errors = LoadFails(kb).Errors;
        Assert.Contains(errors, e => e.File == "faq/bad1.yaml");
        Assert.Contains(errors, e => e.File == "faq/bad2.yaml");
        Assert.DoesNotContain(errors, e => e.File == "faq/good.yaml");
    }

    [Fact]
    public void Staff_abbreviations_extend_the_built_in_list()
    {
        using var kb = new TempKnowledgeBase();
        kb.Write("faq/vneid.yaml", """
            topic: vneid
            title: Định danh điện tử
            entries:
              - id: so-dinh-danh
                question: Số định danh cá nhân là gì?
                answer: Là số căn cước gồm 12 chữ số.
              - id: quen-mat-khau
                question: Quên mật khẩu VNeID?
                answer: Chọn Quên mật khẩu.
            """);
        Assert.False(KnowledgeBase.Load(kb.Root).Ask("sđdc la gi").Answered);
        kb.Write("abbreviations.yaml", "# viết tắt của xã\nsđdc: số định danh cá nhân\n");
        var extended = KnowledgeBase.Load(kb.Root);
        Assert.Equal("so-dinh-danh", extended.Ask("sđdc la gi").FaqId);
        Assert.Equal("quen-mat-khau", extended.Ask("quen mk vneid").FaqId);
    }

    [Fact]
    public void Broken_abbreviation_file_is_refused_with_its_line()
    {
        using var kb = new TempKnowledgeBase();
        kb.Write("faq/vneid.yaml", Valid);
        kb.Write("abbreviations.yaml", "ko: không\nhai tu: sai\n");
        var error = Assert.Single(LoadFails(kb).Errors);
        Assert.Equal(("abbreviations.yaml", 2), (error.File, error.Line));
    }
}
