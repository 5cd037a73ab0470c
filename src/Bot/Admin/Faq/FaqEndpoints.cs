using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Bot.Admin.Console;
using Bot.Conversation;
using Bot.KnowledgeStore;
using Bot.Storage;
using Knowledge;
using Knowledge.Faq;
using Knowledge.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Bot.Admin.Faq;

/// <summary>The FAQ editor: list and search, create, edit, retire, history and revert, "try it", import and export.</summary>
public static partial class FaqEndpoints
{
    public const int MaxTryQuestions = 20;

    public sealed record LinkInput(string? Title, string? Url);

    public sealed record EntryInput(string? Id, string? Topic, string? Question, string[]? Alternates, string? Answer,
        string[]? Tags, LinkInput[]? Links, string? Source, int Version = 0);

    public sealed record TryRequest(EntryInput? Draft, string[]? Questions);
    public sealed record RevertRequest(long RevisionId);
    public sealed record ReviewRequest(bool TakeRelease);

    public sealed record EntrySummary(string Id, string Topic, string Question, bool Retired, bool NeedsReview, bool StaffChanged,
        DateTimeOffset UpdatedAt, string UpdatedBy);

    public sealed record RevisionView(long Id, DateTimeOffset At, string Actor, string Action, EntryContent? Before, EntryContent? After);

    public sealed record EntryView(string Id, string Topic, int Version, bool Retired, bool NeedsReview, bool StaffChanged,
        EntryContent Content, string FilledAnswer, EntryContent? Release, IReadOnlyList<RevisionView> History);

    public sealed record TopicView(string Id, string Title, int Entries);
    public sealed record Outcome(bool Answered, string? FaqId, string? EntryQuestion, string? Citation, double Score);
    public sealed record TryResult(string Question, Outcome Now, Outcome Draft);
    public sealed record StolenQuestion(string FaqId, string Question, double Score);
    public sealed record TryView(string FilledAnswer, IReadOnlyList<TryResult> Results, IReadOnlyList<StolenQuestion> Stolen);
    public sealed record ImportView(int Created, int Updated, int Unchanged);

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex IdPattern();

    public static void MapFaqEditor(this WebApplication app)
    {
        var group = app.MapGroup("/api/admin/faq").WithTags("console: FAQ").RequireAuthorization(StaffAuthentication.Policy);
        group.MapGet("/topics", ListTopics);
        group.MapGet("/entries", ListEntries);
        group.MapGet("/entries/{id}", GetEntry);
        group.MapPost("/entries", CreateEntry);
        group.MapPut("/entries/{id}", UpdateEntry);
        group.MapPost("/entries/{id}/retire", RetireEntry);
        group.MapPost("/entries/{id}/restore", RestoreEntry);
        group.MapPost("/entries/{id}/revert", RevertEntry);
        group.MapPost("/entries/{id}/review", ResolveReview);
        group.MapPost("/try", TryDraft);
        group.MapGet("/export", Export);
        group.MapPost("/import", Import).DisableAntiforgery();
    }

    private static async Task<Ok<List<TopicView>>> ListTopics(BotDbContext db, CancellationToken ct)
    {
        var counts = await db.FaqEntries.Where(e => !e.Retired).GroupBy(e => e.Topic)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var topics = await db.FaqTopics.OrderBy(t => t.Position).ThenBy(t => t.Id).ToListAsync(ct);
        return TypedResults.Ok(topics.Select(t => new TopicView(t.Id, t.Title, counts.GetValueOrDefault(t.Id))).ToList());
    }

    /// <param name="status">active (default), retired, review (changed by the release after staff changed it), all.</param>
    private static async Task<Ok<List<EntrySummary>>> ListEntries(string? q, string? topic, string? status, BotDbContext db, CancellationToken ct)
    {
        var query = db.FaqEntries.AsNoTracking();
        if (!string.IsNullOrEmpty(topic)) query = query.Where(e => e.Topic == topic);
        query = status switch
        {
            "retired" => query.Where(e => e.Retired),
            "review" => query.Where(e => e.NeedsReview),
            "all" => query,
            _ => query.Where(e => !e.Retired),
        };
        var rows = await query.OrderBy(e => e.Topic).ThenBy(e => e.Id).ToListAsync(ct);
        var folded = Fold(q ?? "");
        var list = rows.Select(r => (Record: r, Content: EntryContent.FromJson(r.Content)))
            .Where(r => folded.Length == 0 || Fold(SearchText(r.Record.Id, r.Content)).Contains(folded, StringComparison.Ordinal))
            .Select(r => new EntrySummary(r.Record.Id, r.Record.Topic, r.Content.Question, r.Record.Retired, r.Record.NeedsReview,
                StaffChanged(r.Record), r.Record.UpdatedAt, r.Record.UpdatedBy))
            .ToList();
        return TypedResults.Ok(list);
    }

    private static string SearchText(string id, EntryContent c) =>
        string.Join(" \n ", [id, c.Question, .. c.Alternates, .. c.Tags, c.Answer]);

    private static string Fold(string text) => VietnameseText.RemoveDiacritics(text).ToLowerInvariant().Trim();

    private static bool StaffChanged(FaqEntryRecord r) => r.Content != r.ShippedContent;

    private static async Task<Results<Ok<EntryView>, ProblemHttpResult>> GetEntry(string id, BotDbContext db, CommuneFacts commune, CancellationToken ct)
    {
        var record = await db.FaqEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
        if (record is null) return Problem(FaqStore.NotFound);
        var history = await db.FaqRevisions.AsNoTracking().Where(r => r.EntryId == id).OrderByDescending(r => r.Id).Take(100).ToListAsync(ct);
        var content = EntryContent.FromJson(record.Content);
        return TypedResults.Ok(new EntryView(record.Id, record.Topic, record.Version, record.Retired, record.NeedsReview,
            StaffChanged(record), content, commune.Fill(content.Answer),
            record.ShippedContent is null ? null : EntryContent.FromJson(record.ShippedContent),
            history.Select(r => new RevisionView(r.Id, r.At, r.Actor, r.Action,
                r.Before is null ? null : EntryContent.FromJson(r.Before), r.After is null ? null : EntryContent.FromJson(r.After))).ToList()));
    }

    private static async Task<Results<Created<EntryView>, ValidationProblem, ProblemHttpResult>> CreateEntry(
        EntryInput input, HttpContext http, FaqStore store, BotDbContext db, CommuneFacts commune, AuditLog audit, CancellationToken ct)
    {
        var (content, errors) = await ValidateAsync(input, db, isNew: true, ct);
        if (errors.Any) return errors.ToResult();
        var id = input.Id!.Trim();
        if (await store.CreateAsync(StaffConsole.Actor(http.User), id, input.Topic!, content, FaqRevisionActions.Create, ct) is { } refusal)
            return Problem(refusal);
        await audit.RecordAsync(http.User, "faq-create", $"faq/{id}", content.Question, ct);
        var view = (Ok<EntryView>)(await GetEntry(id, db, commune, ct)).Result;
        return TypedResults.Created($"/api/admin/faq/entries/{id}", view.Value);
    }

    private static async Task<Results<Ok<EntryView>, ValidationProblem, ProblemHttpResult>> UpdateEntry(
        string id, EntryInput input, HttpContext http, FaqStore store, BotDbContext db, CommuneFacts commune, AuditLog audit, CancellationToken ct)
    {
        var (content, errors) = await ValidateAsync(input with { Id = id }, db, isNew: false, ct);
        if (errors.Any) return errors.ToResult();
        if (await store.UpdateAsync(StaffConsole.Actor(http.User), id, input.Topic, content, input.Version, FaqRevisionActions.Edit, ct) is { } refusal)
            return Problem(refusal);
        await audit.RecordAsync(http.User, "faq-edit", $"faq/{id}", content.Question, ct);
        return await GetEntry(id, db, commune, ct) is { Result: Ok<EntryView> ok } ? ok : Problem(FaqStore.NotFound);
    }

    private static Task<Results<Ok<EntryView>, ProblemHttpResult>> RetireEntry(string id, HttpContext http, FaqStore store, BotDbContext db,
        CommuneFacts commune, AuditLog audit, CancellationToken ct) =>
        ChangeAsync(id, "faq-retire", http, db, commune, audit, () => store.SetRetiredAsync(StaffConsole.Actor(http.User), id, true, ct), ct);

    private static Task<Results<Ok<EntryView>, ProblemHttpResult>> RestoreEntry(string id, HttpContext http, FaqStore store, BotDbContext db,
        CommuneFacts commune, AuditLog audit, CancellationToken ct) =>
        ChangeAsync(id, "faq-restore", http, db, commune, audit, () => store.SetRetiredAsync(StaffConsole.Actor(http.User), id, false, ct), ct);

    private static Task<Results<Ok<EntryView>, ProblemHttpResult>> RevertEntry(string id, RevertRequest request, HttpContext http, FaqStore store,
        BotDbContext db, CommuneFacts commune, AuditLog audit, CancellationToken ct) =>
        ChangeAsync(id, "faq-revert", http, db, commune, audit,
            () => store.RevertAsync(StaffConsole.Actor(http.User), id, request.RevisionId, ct), ct);

    private static Task<Results<Ok<EntryView>, ProblemHttpResult>> ResolveReview(string id, ReviewRequest request, HttpContext http, FaqStore store,
        BotDbContext db, CommuneFacts commune, AuditLog audit, CancellationToken ct) =>
        ChangeAsync(id, request.TakeRelease ? "faq-review-take-release" : "faq-review-keep", http, db, commune, audit,
            () => store.ResolveReviewAsync(StaffConsole.Actor(http.User), id, request.TakeRelease, ct), ct);

    private static async Task<Results<Ok<EntryView>, ProblemHttpResult>> ChangeAsync(string id, string action, HttpContext http, BotDbContext db,
        CommuneFacts commune, AuditLog audit, Func<Task<StoreRefusal?>> change, CancellationToken ct)
    {
        if (await change() is { } refusal) return Problem(refusal);
        await audit.RecordAsync(http.User, action, $"faq/{id}", ct: ct);
        return await GetEntry(id, db, commune, ct);
    }

    /// <summary>
    /// Answers the staff's questions with the base as it is and as it would be with the draft, and lists other
    /// entries' own questions the draft would take over.
    /// </summary>
    private static async Task<Results<Ok<TryView>, ValidationProblem>> TryDraft(TryRequest request, KnowledgeProvider knowledge,
        BotDbContext db, CommuneFacts commune, CancellationToken ct)
    {
        var questions = (request.Questions ?? []).Select(q => q?.Trim() ?? "").Where(q => q.Length > 0).ToList();
        var errors = new FieldErrors();
        if (questions.Count > MaxTryQuestions) errors.Add("questions", $"Thử tối đa {MaxTryQuestions} câu một lần.");
        if (questions.Any(q => q.Length > QuestionAnswerer.MaxQuestionLength))
            errors.Add("questions", $"Mỗi câu thử dài tối đa {QuestionAnswerer.MaxQuestionLength} ký tự.");
        var now = knowledge.Current;
        var draftKb = now;
        FaqEntry? draft = null;
        if (request.Draft is { } input)
        {
            var (content, draftErrors) = await ValidateAsync(input, db, isNew: now.FindEntry(input.Id?.Trim() ?? "") is null, ct, forTry: true);
            if (draftErrors.Any) return draftErrors.ToResult();
            draft = content.ToEntry(input.Id!.Trim(), input.Topic!);
            draftKb = knowledge.Build(WithDraft(now.Topics, draft), now.Documents);
        }
        if (errors.Any) return errors.ToResult();

        var results = questions.Select(q => new TryResult(q, Describe(now, now.Ask(q)), Describe(draftKb, draftKb.Ask(q)))).ToList();
        var stolen = new List<StolenQuestion>();
        if (draft is not null)
            foreach (var entry in now.Topics.SelectMany(t => t.Entries).Where(e => e.Id != draft.Id))
            {
                var answer = draftKb.Ask(entry.Question);
                if (answer.Answered && answer.FaqId == draft.Id) stolen.Add(new StolenQuestion(entry.Id, entry.Question, answer.Score));
            }
        return TypedResults.Ok(new TryView(draft is null ? "" : commune.Fill(draft.Answer), results, stolen));
    }

    private static IReadOnlyList<FaqTopic> WithDraft(IReadOnlyList<FaqTopic> topics, FaqEntry draft) =>
        topics.Select(t => new FaqTopic(t.Id, t.Title,
            [.. t.Entries.Where(e => e.Id != draft.Id), .. t.Id == draft.Topic ? [draft] : Array.Empty<FaqEntry>()])).ToList();

    private static Outcome Describe(KnowledgeBase kb, Answer answer) => new(answer.Answered, answer.FaqId,
        answer.FaqId is null ? null : kb.FindEntry(answer.FaqId)?.Question, answer.Citation, answer.Score);

    /// <summary>The loader's own rules (FaqYaml.Validate), plus what only the console needs: a well-formed new id, a known topic, web links.</summary>
    private static async Task<(EntryContent Content, FieldErrors Errors)> ValidateAsync(EntryInput input, BotDbContext db, bool isNew,
        CancellationToken ct, bool forTry = false)
    {
        var errors = new FieldErrors();
        var id = input.Id?.Trim() ?? "";
        var content = new EntryContent(
            input.Question?.Trim() ?? "",
            Clean(input.Alternates),
            input.Answer?.Trim() ?? "",
            Clean(input.Tags),
            (input.Links ?? []).Select(l => new FaqLink(l.Title?.Trim() ?? "", l.Url?.Trim() ?? "")).ToList(),
            string.IsNullOrWhiteSpace(input.Source) ? null : input.Source.Trim());
        if (isNew && !forTry)
        {
            if (!IdPattern().IsMatch(id) || id.Length > 80)
                errors.Add("id", "Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang (tối đa 80 ký tự), ví dụ vneid-quen-mat-khau.");
            else if (await db.FaqEntries.AnyAsync(e => e.Id == id, ct))
                errors.Add("id", $"Mã \"{id}\" đã được dùng cho một câu hỏi khác.");
        }
        if (string.IsNullOrWhiteSpace(input.Topic) || !await db.FaqTopics.AnyAsync(t => t.Id == input.Topic, ct))
            errors.Add("topic", "Chọn một chủ đề.");
        if (content.Question.Length > 500) errors.Add("question", "Câu hỏi dài tối đa 500 ký tự.");
        if (content.Answer.Length > 4000) errors.Add("answer", "Câu trả lời dài tối đa 4.000 ký tự (giới hạn một tin nhắn).");
        foreach (var link in content.Links.Where(l => l.Url.Length > 0 && !IsWebAddress(l.Url)))
            errors.Add("links", $"Địa chỉ \"{link.Url}\" phải bắt đầu bằng http:// hoặc https://.");
        foreach (var (field, message) in FaqYaml.Validate(content.ToEntry(id.Length == 0 ? "tam" : id, input.Topic ?? "")))
            errors.Add(field, FieldMessage(field, message));
        return (content, errors);
    }

    private static readonly Dictionary<string, string> EmptyFieldMessages = new()
    {
        ["question"] = "Câu hỏi không được để trống.",
        ["answer"] = "Câu trả lời không được để trống.",
    };

    /// <summary>The loader speaks of YAML keys; next to a form field a plain sentence reads better for the two required texts.</summary>
    private static string FieldMessage(string field, string message) =>
        message.Contains("để trống", StringComparison.Ordinal) && EmptyFieldMessages.TryGetValue(field, out var plain)
            ? plain : "Không hợp lệ: " + message;

    private static bool IsWebAddress(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static List<string> Clean(string[]? lines) =>
        (lines ?? []).Select(l => l?.Trim() ?? "").Where(l => l.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    private static ProblemHttpResult Problem(StoreRefusal refusal) => TypedResults.Problem(refusal.Message, statusCode: refusal.Status);

    /// <summary>The store as data/faq files (one per topic, retired entries left out), zipped.</summary>
    private static async Task<FileContentHttpResult> Export(HttpContext http, BotDbContext db, AuditLog audit, CancellationToken ct)
    {
        var topics = await db.FaqTopics.AsNoTracking().OrderBy(t => t.Position).ThenBy(t => t.Id).ToListAsync(ct);
        var entries = (await db.FaqEntries.AsNoTracking().Where(e => !e.Retired).OrderBy(e => e.Id).ToListAsync(ct)).ToLookup(e => e.Topic);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var topic in topics)
            {
                var faqTopic = new FaqTopic(topic.Id, topic.Title,
                    entries[topic.Id].Select(e => EntryContent.FromJson(e.Content).ToEntry(e.Id, topic.Id)).ToList());
                var file = zip.CreateEntry($"faq/{topic.Id}.yaml");
                await using var stream = file.Open();
                await stream.WriteAsync(Encoding.UTF8.GetBytes(FaqYaml.Write(faqTopic)), ct);
            }
        await audit.RecordAsync(http.User, "faq-export", ct: ct);
        return TypedResults.File(buffer.ToArray(), "application/zip", "faq.zip");
    }

    /// <summary>
    /// Imports faq/*.yaml files (or a zip of them, as exported): checked exactly as the loader checks files, all or
    /// nothing; each entry that differs becomes a staff change with its history.
    /// </summary>
    private static async Task<Results<Ok<ImportView>, ValidationProblem>> Import(HttpContext http, FaqStore store, BotDbContext db,
        AuditLog audit, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var form = await http.Request.ReadFormAsync(ct);
        var files = new List<(string, string)>();
        foreach (var file in form.Files)
        {
            await using var stream = file.OpenReadStream();
            if (file.FileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    using var zip = new ZipArchive(stream);
                    foreach (var entry in zip.Entries.Where(e => e.Name.EndsWith(".yaml") || e.Name.EndsWith(".yml")))
                    {
                        using var reader = new StreamReader(entry.Open());
                        files.Add((entry.Name, await reader.ReadToEndAsync(ct)));
                    }
                }
                catch (InvalidDataException)
                {
                    errors.Add("file", $"Tệp {file.FileName} không phải tệp zip hợp lệ.");
                }
            }
            else if (file.FileName.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || file.FileName.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            {
                using var reader = new StreamReader(stream);
                files.Add((file.FileName, await reader.ReadToEndAsync(ct)));
            }
            else errors.Add("file", $"Tệp {file.FileName}: chỉ nhận tệp .yaml theo mẫu data/faq, hoặc tệp .zip đã xuất.");
        }
        if (files.Count == 0 && !errors.Any) errors.Add("file", "Chọn ít nhất một tệp .yaml hoặc .zip.");
        if (errors.Any) return errors.ToResult();

        IReadOnlyList<FaqTopic> topics;
        try
        {
            topics = FaqYaml.Read(files);
        }
        catch (KnowledgeBaseException e)
        {
            foreach (var error in e.Errors) errors.Add("file", error.ToString());
            return errors.ToResult();
        }
        var known = await db.FaqTopics.Select(t => t.Id).ToListAsync(ct);
        foreach (var topic in topics.Where(t => !known.Contains(t.Id)))
            db.FaqTopics.Add(new FaqTopicRecord { Id = topic.Id, Title = topic.Title, Position = known.Count + topics.ToList().IndexOf(topic) });
        await db.SaveChangesAsync(ct);

        var actor = StaffConsole.Actor(http.User);
        int created = 0, updated = 0, unchanged = 0;
        await store.InBatchAsync(async () =>
        {
            foreach (var entry in topics.SelectMany(t => t.Entries))
            {
                var content = EntryContent.From(entry);
                var existing = await db.FaqEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == entry.Id, ct);
                if (existing is null)
                {
                    await store.CreateAsync(actor, entry.Id, entry.Topic, content, FaqRevisionActions.Import, ct);
                    created++;
                }
                else if (existing.Content == content.ToJson() && existing.Topic == entry.Topic) unchanged++;
                else
                {
                    await store.UpdateAsync(actor, entry.Id, entry.Topic, content, existing.Version, FaqRevisionActions.Import, ct);
                    updated++;
                }
            }
            return 0;
        }, ct);
        await audit.RecordAsync(http.User, "faq-import", detail: $"{created} mới, {updated} sửa, {unchanged} giữ nguyên", ct: ct);
        return TypedResults.Ok(new ImportView(created, updated, unchanged));
    }
}
