using Knowledge.Documents;

namespace Knowledge.Tests;

public class DocumentChunkingTests
{
    private static KnowledgeDocument Seed(string name) => DocumentImporter.Read(Fixture.Path("seeds", name));

    [Fact]
    public void Reads_number_date_issuer_and_title_of_a_numbered_plan()
    {
        var info = Seed("vinh-phong-52.txt").Info;
        Assert.Equal("Kế hoạch", info.Kind);
        Assert.Equal("52/KH-UBND", info.Number);
        Assert.Equal("04/03/2026", info.Date);
        Assert.Equal("UBND xã Vĩnh Phong", info.Issuer);
        Assert.StartsWith("Triển khai thực hiện Quyết định số 1169/QĐ-TTg", info.Title);
        Assert.Equal("Kế hoạch số 52/KH-UBND ngày 04/03/2026 của UBND xã Vĩnh Phong", info.Citation);
    }

    [Fact]
    public void Ward_plan_cites_its_ward()
    {
        Assert.Equal("Kế hoạch số 90/KH-UBND ngày 30/03/2026 của UBND phường Gia Viên", Seed("gia-vien-90.txt").Info.Citation);
    }

    [Fact]
    public void Blank_number_and_day_give_a_sensible_citation()
    {
        var info = Seed("thanh-thuy-blank-number.txt").Info;
        Assert.Null(info.Number);
        Assert.Equal("tháng 3/2026", info.Date);
        Assert.Equal("UBND xã Thanh Thủy", info.Issuer);
        Assert.DoesNotContain("số /", info.Citation);
        Assert.DoesNotContain("ngày tháng", info.Citation);
        Assert.StartsWith("Kế hoạch \"Thực hiện Quyết định số 1169/QĐ-TTg", info.Citation);
        Assert.EndsWith("tháng 3/2026 của UBND xã Thanh Thủy", info.Citation);
    }

    [Fact]
    public void Issuer_without_a_commune_in_its_sentence_is_completed_from_the_text()
    {
        var info = Seed("tan-ninh-party.txt").Info;
        Assert.Equal("Ban Thường vụ Đảng ủy xã Tân Ninh", info.Issuer);
        Assert.Null(info.Number);
    }

    [Fact]
    public void Chunks_keep_their_heading_path_and_cite_the_section()
    {
        var document = Seed("vinh-phong-52.txt");
        var chunk = document.Chunks.First(c => c.Section == "IV.2");
        Assert.Equal(["NHIỆM VỤ VÀ GIẢI PHÁP THỰC HIỆN", "Truyền thông gắn với phong trào “Bình dân học vụ số”"], chunk.Headings);
        Assert.Equal("Kế hoạch số 52/KH-UBND ngày 04/03/2026 của UBND xã Vĩnh Phong, mục IV.2", chunk.Citation);
        Assert.Contains(document.Chunks, c => c.Section == "II.2.a");
        Assert.Contains(document.Chunks, c => c.Section == "VI.10" && c.Text.Contains("15 tháng 6"));
        Assert.DoesNotContain(document.Chunks, c => c.Text.Contains("Nơi nhận"));
    }

    [Fact]
    public void Numbered_subsections_nest_under_their_part()
    {
        var sections = Seed("gia-vien-90.txt").Chunks.Select(c => c.Section).ToList();
        Assert.Contains("II.1.2", sections);
        Assert.Contains("II.2.5", sections);
        Assert.Contains("IV.8", sections);
    }

    [Fact]
    public void Lines_wrapped_inside_sentences_are_joined()
    {
        var document = Seed("tan-an-wrapped.txt");
        var chunk = document.Chunks.First(c => c.Section == "III.1.1");
        Assert.Contains("Phòng Văn hóa - Xã hội", chunk.Headings);
        Assert.Contains("- Xây dựng và ban hành kế hoạch tuyên truyền định kỳ, cụ thể về các nội dung", chunk.Text.Replace("  ", " "));
        Assert.Equal("UBND xã Tân An", document.Info.Issuer);
    }

    [Fact]
    public void Plus_bullets_stay_with_their_dash_bullet()
    {
        var chunks = Seed("tan-ninh-party.txt").Chunks;
        Assert.Contains(chunks, c => c.Text.Contains("\n+ "));
        Assert.DoesNotContain(chunks, c => c.Text.StartsWith('+'));
    }

    [Fact]
    public void Html_and_docx_are_read_into_the_same_structure()
    {
        using var kb = new TempKnowledgeBase();
        var html = kb.Write("plan.html", """
            <html><body><p>Số: 12/KH-UBND</p><p>Vĩnh Phong, ngày 05 tháng 4 năm 2026</p><h2>KẾ HOẠCH</h2>
            <p>Hướng dẫn cài đặt VNeID</p><p>UBND xã Vĩnh Phong ban hành Kế hoạch như sau:</p>
            <h3>I. NỘI DUNG</h3><p>1. Cài đặt ứng dụng</p><ul><li>Tải VNeID từ kho ứng dụng.</li><li>Đăng nhập bằng số định danh.</li></ul>
            </body></html>
            """);
        var fromHtml = DocumentImporter.Read(html);
        Assert.Equal("Kế hoạch số 12/KH-UBND ngày 05/04/2026 của UBND xã Vĩnh Phong", fromHtml.Info.Citation);
        var chunk = Assert.Single(fromHtml.Chunks, c => c.Section == "I.1");
        Assert.Contains("- Tải VNeID từ kho ứng dụng.", chunk.Text);

        var docx = Path.Combine(kb.Root, "plan.docx");
        WriteDocx(docx, ["Số: 12/KH-UBND", "Vĩnh Phong, ngày 05 tháng 4 năm 2026", "KẾ HOẠCH", "Hướng dẫn cài đặt VNeID",
            "UBND xã Vĩnh Phong ban hành Kế hoạch như sau:", "I. NỘI DUNG", "1. Cài đặt ứng dụng", "- Tải VNeID từ kho ứng dụng."]);
        var fromDocx = DocumentImporter.Read(docx);
        Assert.Equal(fromHtml.Info.Citation, fromDocx.Info.Citation);
        Assert.Contains("- Tải VNeID từ kho ứng dụng.", Assert.Single(fromDocx.Chunks, c => c.Section == "I.1").Text);
    }

    [Fact]
    public void Markdown_headings_keep_the_document_numbering()
    {
        using var kb = new TempKnowledgeBase();
        var md = kb.Write("huong-dan.md", "# KẾ HOẠCH\n\nHướng dẫn dùng VNeID\n\n## I. CÀI ĐẶT\n\n### 1. Tải ứng dụng\n\n- Vào kho ứng dụng, tìm VNeID.\n\n## II. ĐĂNG NHẬP\n\nDùng số định danh cá nhân.\n");
        var sections = DocumentImporter.Read(md).Chunks.Select(c => c.Section).ToList();
        Assert.Equal(["I.1", "II"], sections);
    }

    [Fact]
    public void Import_copies_the_file_into_the_documents_folder_and_the_base_answers_from_it()
    {
        using var kb = new TempKnowledgeBase();
        var document = DocumentImporter.Import(Fixture.Path("seeds", "gia-vien-90.txt"), kb.Root);
        Assert.True(File.Exists(Path.Combine(kb.Root, "documents", "gia-vien-90.txt")));
        Assert.Equal("Kế hoạch số 90/KH-UBND ngày 30/03/2026 của UBND phường Gia Viên", document.Info.Citation);
        var answer = KnowledgeBase.Load(kb.Root).Ask("tổ công nghệ số cộng đồng có nhiệm vụ gì");
        Assert.Equal("gia-vien-90.txt", answer.Document);
        Assert.StartsWith("Kế hoạch số 90/KH-UBND ngày 30/03/2026 của UBND phường Gia Viên, mục ", answer.Citation);
    }

    [Fact]
    public void Unsupported_files_are_refused()
    {
        using var kb = new TempKnowledgeBase();
        var pdf = kb.Write("plan.pdf", "%PDF-1.4");
        var error = Assert.Throws<KnowledgeBaseException>(() => DocumentImporter.Import(pdf, kb.Root));
        Assert.Contains("plan.pdf", error.Message);
    }

    private static void WriteDocx(string path, string[] paragraphs)
    {
        using var document = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Create(path, DocumentFormat.OpenXml.WordprocessingDocumentType.Document);
        var main = document.AddMainDocumentPart();
        main.Document = new DocumentFormat.OpenXml.Wordprocessing.Document(new DocumentFormat.OpenXml.Wordprocessing.Body(
            paragraphs.Select(p => new DocumentFormat.OpenXml.Wordprocessing.Paragraph(
                new DocumentFormat.OpenXml.Wordprocessing.Run(new DocumentFormat.OpenXml.Wordprocessing.Text(p))))));
        main.Document.Save();
    }
}
