using Bot.Admin.Console;
using Bot.Conversation;
using Bot.KnowledgeStore;
using Bot.Storage;
using Knowledge;
using Knowledge.Documents;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Bot.Admin.Documents;

/// <summary>The document library: upload (stored in the database, so every node answers from it), passages with their citations, preview search, remove.</summary>
public static class DocumentEndpoints
{
    public sealed record DocumentView(long? Id, string FileName, bool Shipped, string Kind, string? Title, string Citation, int Passages,
        long? SizeBytes, string? UploadedBy, DateTimeOffset? UploadedAt);

    public sealed record PassageView(string Section, string Citation, string Text);
    public sealed record DocumentDetail(DocumentView Document, IReadOnlyList<PassageView> Passages);
    public sealed record SearchHit(string Document, string Citation, double Score, string Text);
    public sealed record SearchView(bool Answered, string? FaqId, string? Citation, double Score, IReadOnlyList<SearchHit> Passages);

    public static void MapDocumentLibrary(this WebApplication app)
    {
        var group = app.MapGroup("/api/admin/documents").WithTags("console: documents").RequireAuthorization(StaffAuthentication.Policy);
        group.MapGet("/", ListDocuments);
        group.MapPost("/", Upload).DisableAntiforgery();
        group.MapGet("/search", Search);
        group.MapGet("/{fileName}", GetDocument);
        group.MapDelete("/{id:long}", Remove);
    }

    private static async Task<Ok<List<DocumentView>>> ListDocuments(KnowledgeProvider knowledge, BotDbContext db, CancellationToken ct)
    {
        var uploads = await db.KnowledgeDocuments.AsNoTracking().OrderByDescending(d => d.Id)
            .Select(d => new { d.Id, d.FileName, d.SizeBytes, d.UploadedBy, d.UploadedAt }).ToListAsync(ct);
        var loaded = knowledge.Current.Documents.ToDictionary(d => d.Info.FileName);
        var views = uploads.Where(u => loaded.ContainsKey(u.FileName))
            .Select(u => View(loaded[u.FileName], u.Id, u.SizeBytes, u.UploadedBy, u.UploadedAt))
            .Concat(knowledge.Shipped.Documents.Select(d => View(d, null, null, null, null)))
            .ToList();
        return TypedResults.Ok(views);
    }

    private static DocumentView View(KnowledgeDocument d, long? id, long? size, string? by, DateTimeOffset? at) =>
        new(id, d.Info.FileName, id is null, d.Info.Kind, d.Info.Title, d.Info.Citation, d.Chunks.Count, size, by, at);

    private static async Task<Results<Ok<DocumentDetail>, ProblemHttpResult>> GetDocument(string fileName, KnowledgeProvider knowledge,
        BotDbContext db, CancellationToken ct)
    {
        var document = knowledge.Current.Documents.FirstOrDefault(d => d.Info.FileName == fileName);
        if (document is null) return TypedResults.Problem("Không có tài liệu này.", statusCode: 404);
        var upload = await db.KnowledgeDocuments.AsNoTracking().Where(d => d.FileName == fileName)
            .Select(d => new { d.Id, d.SizeBytes, d.UploadedBy, d.UploadedAt }).FirstOrDefaultAsync(ct);
        return TypedResults.Ok(Detail(document, upload?.Id, upload?.SizeBytes, upload?.UploadedBy, upload?.UploadedAt));
    }

    private static DocumentDetail Detail(KnowledgeDocument d, long? id, long? size, string? by, DateTimeOffset? at) =>
        new(View(d, id, size, by, at), d.Chunks.Select(c => new PassageView(c.Section, c.Citation, c.Text)).ToList());

    /// <summary>Reads the file with the importer (a file it cannot read is refused with the reason), stores it, rebuilds.</summary>
    private static async Task<Results<Created<DocumentDetail>, ValidationProblem>> Upload(HttpContext http, KnowledgeProvider knowledge,
        BotDbContext db, AuditLog audit, CancellationToken ct)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = UploadedDocuments.MaxBytes + 64 * 1024;
        var errors = new FieldErrors();
        IFormFile? file = null;
        try
        {
            file = (await http.Request.ReadFormAsync(ct)).Files.FirstOrDefault();
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            errors.Add("file", $"Tệp lớn quá {UploadedDocuments.MaxBytes / 1024 / 1024} MB hoặc tải lên bị gián đoạn.");
        }
        if (file is null && !errors.Any) errors.Add("file", "Chọn một tệp để tải lên.");
        if (errors.Any) return errors.ToResult();

        var fileName = Path.GetFileName(file!.FileName).Trim();
        if (!DocumentImporter.SupportedExtensions.Contains(Path.GetExtension(fileName).ToLowerInvariant()))
            errors.Add("file", $"Chỉ nhận tệp {string.Join(", ", DocumentImporter.SupportedExtensions)}.");
        else if (file.Length > UploadedDocuments.MaxBytes)
            errors.Add("file", $"Tệp lớn quá {UploadedDocuments.MaxBytes / 1024 / 1024} MB.");
        else if (knowledge.Current.Documents.Any(d => d.Info.FileName == fileName) || await db.KnowledgeDocuments.AnyAsync(d => d.FileName == fileName, ct))
            errors.Add("file", $"Đã có tài liệu tên {fileName}. Gỡ tài liệu cũ trước nếu muốn thay bằng bản mới.");
        if (errors.Any) return errors.ToResult();

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
        KnowledgeDocument document;
        try
        {
            document = UploadedDocuments.Parse(fileName, bytes);
        }
        catch (KnowledgeBaseException e)
        {
            errors.Add("file", $"Không đọc được tài liệu: {string.Join("; ", e.Errors.Select(x => x.Message))}");
            return errors.ToResult();
        }
        var record = new KnowledgeDocumentRecord
        {
            FileName = fileName, Content = Convert.ToBase64String(bytes), SizeBytes = bytes.Length,
            UploadedBy = StaffConsole.Actor(http.User), UploadedAt = DateTimeOffset.UtcNow,
        };
        db.KnowledgeDocuments.Add(record);
        try
        {
            await StoreRevision.BumpAndSaveAsync(db, ct);
        }
        catch (DbUpdateException)
        {
            // Another upload or edit was saved at the same moment (or the same file name): nothing was stored.
            errors.Add("file", "Có thay đổi khác vừa được lưu cùng lúc nên tài liệu chưa được lưu. Bấm Tải lên lần nữa.");
            return errors.ToResult();
        }
        await knowledge.RefreshAsync(ct);
        await audit.RecordAsync(http.User, "document-upload", $"document/{fileName}", document.Info.Citation, ct);
        return TypedResults.Created($"/api/admin/documents/{Uri.EscapeDataString(fileName)}",
            Detail(document, record.Id, record.SizeBytes, record.UploadedBy, record.UploadedAt));
    }

    /// <summary>What a resident asking this would get, and the passages that match best.</summary>
    private static Results<Ok<SearchView>, ValidationProblem> Search(string? q, KnowledgeProvider knowledge)
    {
        var question = q?.Trim() ?? "";
        if (question.Length == 0 || question.Length > QuestionAnswerer.MaxQuestionLength)
        {
            var errors = new FieldErrors();
            errors.Add("q", question.Length == 0 ? "Gõ một câu hỏi để tìm thử." : $"Câu hỏi dài tối đa {QuestionAnswerer.MaxQuestionLength} ký tự.");
            return errors.ToResult();
        }
        var kb = knowledge.Current;
        var answer = kb.Ask(question, top: 10);
        // A candidate names its passage by document and citation; a long section is several passages with one citation.
        var sections = kb.Chunks.ToLookup(c => (c.Document, c.Citation));
        var hits = answer.Results.Where(r => r.Document is not null).DistinctBy(r => (r.Document, r.Citation)).Take(5)
            .Select(r => new SearchHit(r.Document!, r.Citation!, r.Score,
                string.Join("\n", sections[(r.Document!, r.Citation!)].Select(c => c.Text))))
            .ToList();
        return TypedResults.Ok(new SearchView(answer.Answered, answer.FaqId, answer.Citation, answer.Score, hits));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Remove(long id, HttpContext http, KnowledgeProvider knowledge,
        BotDbContext db, AuditLog audit, CancellationToken ct)
    {
        var record = await db.KnowledgeDocuments.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (record is null) return TypedResults.Problem("Không có tài liệu này.", statusCode: 404);
        db.KnowledgeDocuments.Remove(record);
        try
        {
            await StoreRevision.BumpAndSaveAsync(db, ct);
        }
        catch (DbUpdateException)
        {
            return TypedResults.Problem("Có thay đổi khác vừa được lưu cùng lúc, tài liệu chưa được gỡ. Thử lại.", statusCode: 409);
        }
        await knowledge.RefreshAsync(ct);
        await audit.RecordAsync(http.User, "document-remove", $"document/{record.FileName}", ct: ct);
        return TypedResults.NoContent();
    }
}
