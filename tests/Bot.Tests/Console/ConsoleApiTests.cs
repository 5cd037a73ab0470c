using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bot.Admin;
using Bot.Admin.Console;
using Bot.Storage;
using Bot.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Console;

/// <summary>The console's API without a browser: who may call what, the shared store's history, release upgrades.</summary>
public sealed class ConsoleApiTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers();
    private const string Password = "mat-khau-canbo-1";

    [Theory, MemberData(nameof(Providers))]
    public async Task Every_console_endpoint_refuses_anonymous_callers_and_editors_on_admin_actions(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var bot = await RunningBot.StartAsync(database);
        await ConsoleBrowser.CreateAccountAsync(bot, "bientap", Password, StaffRoles.Staff);
        using var editor = await SignedInClientAsync(bot, "bientap");

        var endpoints = bot.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } route && route.StartsWith("/api/admin/") && route != "/api/admin/login")
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => (Method: method, Path: Concrete(e.RoutePattern.RawText!), Endpoint: e)))
            .ToList();
        Assert.Contains(endpoints, e => e.Path.TrimEnd('/') == "/api/admin/accounts");
        Assert.True(endpoints.Count >= 25, $"only {endpoints.Count} admin endpoints found");

        foreach (var (method, path, endpoint) in endpoints)
        {
            var anonymous = await bot.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });
            Assert.True(anonymous.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {anonymous.StatusCode} to an anonymous caller");

            var adminOnly = endpoint.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>()
                .Any(a => a.Policy == StaffAuthentication.AdminPolicy);
            if (!adminOnly) continue;
            var asEditor = await editor.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });
            Assert.True(asEditor.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} answered {asEditor.StatusCode} to an editor");
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync("/api/admin/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await editor.GetAsync("/api/admin/faq/entries")).StatusCode);
    }

    private static string Concrete(string route) => route
        .Replace("{id:long}", "1").Replace("{id}", "vneid-la-gi").Replace("{fileName}", "khong-co.txt");

    [Theory, MemberData(nameof(Providers))]
    public async Task Edits_keep_history_revert_restores_and_a_stale_edit_is_refused_without_losing_it(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var bot = await RunningBot.StartAsync(database);
        await ConsoleBrowser.CreateAccountAsync(bot, "bientap", Password, StaffRoles.Staff);
        using var staff = await SignedInClientAsync(bot, "bientap");

        var original = await GetEntryAsync(staff, "vneid-la-gi");
        var version = original.GetProperty("version").GetInt32();
        var content = original.GetProperty("content");
        var edited = Input(content, "vneid-la-gi", "vneid", "VNeID là ứng dụng định danh của Bộ Công an (bản sửa thử).", version);

        var bad = await staff.PutAsJsonAsync("/api/admin/faq/entries/vneid-la-gi", edited with { Question = " ", Links = [new("Trang", "javascript:alert(1)")] });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Contains("Câu hỏi không được để trống", errors.GetProperty("question")[0].GetString());
        Assert.Contains("http://", errors.GetProperty("links")[0].GetString());

        Assert.Equal(HttpStatusCode.OK, (await staff.PutAsJsonAsync("/api/admin/faq/entries/vneid-la-gi", edited)).StatusCode);
        Assert.Equal("VNeID là ứng dụng định danh của Bộ Công an (bản sửa thử).", await AnswerAsync(bot, "VNeID là gì, dùng để làm gì?"));

        var stale = await staff.PutAsJsonAsync("/api/admin/faq/entries/vneid-la-gi", edited with { Answer = "Bản cũ hơn" });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("vừa được người khác sửa", await stale.Content.ReadAsStringAsync());

        var entry = await GetEntryAsync(staff, "vneid-la-gi");
        Assert.True(entry.GetProperty("staffChanged").GetBoolean());
        var edit = entry.GetProperty("history")[0];
        Assert.Equal("bientap", edit.GetProperty("actor").GetString());
        Assert.Equal("edit", edit.GetProperty("action").GetString());
        Assert.Equal(content.GetProperty("answer").GetString(), edit.GetProperty("before").GetProperty("answer").GetString());

        var revert = await staff.PostAsJsonAsync("/api/admin/faq/entries/vneid-la-gi/revert", new { revisionId = edit.GetProperty("id").GetInt64() });
        Assert.Equal(HttpStatusCode.OK, revert.StatusCode);
        var reverted = await GetEntryAsync(staff, "vneid-la-gi");
        Assert.False(reverted.GetProperty("staffChanged").GetBoolean());
        Assert.Equal(content.GetProperty("answer").GetString(), reverted.GetProperty("content").GetProperty("answer").GetString());
        Assert.StartsWith("VNeID (người dân hay gọi tắt", await AnswerAsync(bot, "VNeID là gì, dùng để làm gì?"));

        // Export then import the same files: the data/faq schema round-trips, nothing changes.
        var zip = await staff.GetByteArrayAsync("/api/admin/faq/export");
        using (var archive = new ZipArchive(new MemoryStream(zip)))
            Assert.Contains(archive.Entries, e => e.FullName == "faq/vneid.yaml");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(zip), "file", "faq.zip" } };
        var import = JsonDocument.Parse(await (await staff.PostAsync("/api/admin/faq/import", form)).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, import.GetProperty("created").GetInt32());
        Assert.Equal(0, import.GetProperty("updated").GetInt32());
        Assert.True(import.GetProperty("unchanged").GetInt32() > 100);

        using var broken = new MultipartFormDataContent { { new StringContent("topic: vneid\ntitle: X\nentries:\n  - id: a\n    question: Q\n"), "file", "vneid.yaml" } };
        var refused = await staff.PostAsync("/api/admin/faq/import", broken);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var fileErrors = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetProperty("file");
        Assert.Contains("vneid.yaml:4: câu hỏi \"a\" thiếu trường bắt buộc \"answer\"", fileErrors[0].GetString());
    }

    /// <summary>
    /// A new release: entries staff never changed follow it; the one staff changed keeps their text and is listed
    /// for review, until staff take the release's text.
    /// </summary>
    [Theory, MemberData(nameof(Providers))]
    public async Task A_release_updates_untouched_entries_and_lists_staff_changed_ones_for_review(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var root = CopyKnowledgeBase();
        try
        {
            const string staffAnswer = "Câu trả lời của cán bộ xã về VNeID.";
            await using (var bot = await RunningBot.StartAsync(database, $"--Knowledge:Root={root}"))
            {
                await ConsoleBrowser.CreateAccountAsync(bot, "bientap", Password, StaffRoles.Staff);
                using var staff = await SignedInClientAsync(bot, "bientap");
                var entry = await GetEntryAsync(staff, "vneid-la-gi");
                var input = Input(entry.GetProperty("content"), "vneid-la-gi", "vneid", staffAnswer, entry.GetProperty("version").GetInt32());
                Assert.Equal(HttpStatusCode.OK, (await staff.PutAsJsonAsync("/api/admin/faq/entries/vneid-la-gi", input)).StatusCode);
            }

            var file = Path.Combine(root, "faq", "vneid.yaml");
            var yaml = File.ReadAllText(file);
            yaml = yaml.Replace("VNeID (người dân hay gọi tắt là \"định danh\")", "VNeID (bản phát hành mới)")
                       .Replace("1. Mở kho ứng dụng:", "1. Bản phát hành mới — mở kho ứng dụng:");
            File.WriteAllText(file, yaml);

            await using (var bot = await RunningBot.StartAsync(database, $"--Knowledge:Root={root}"))
            {
                using var staff = await SignedInClientAsync(bot, "bientap");
                var followed = await GetEntryAsync(staff, "vneid-cai-dat");
                Assert.StartsWith("1. Bản phát hành mới", followed.GetProperty("content").GetProperty("answer").GetString());
                Assert.False(followed.GetProperty("needsReview").GetBoolean());

                var kept = await GetEntryAsync(staff, "vneid-la-gi");
                Assert.Equal(staffAnswer, kept.GetProperty("content").GetProperty("answer").GetString());
                Assert.True(kept.GetProperty("needsReview").GetBoolean());
                Assert.StartsWith("VNeID (bản phát hành mới)", kept.GetProperty("release").GetProperty("answer").GetString());
                Assert.Equal(staffAnswer, await AnswerAsync(bot, "VNeID là gì, dùng để làm gì?"));
                var review = await staff.GetFromJsonAsync<JsonElement>("/api/admin/faq/entries?status=review");
                Assert.Equal(["vneid-la-gi"], review.EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToArray());

                var take = await staff.PostAsJsonAsync("/api/admin/faq/entries/vneid-la-gi/review", new { takeRelease = true });
                Assert.Equal(HttpStatusCode.OK, take.StatusCode);
                Assert.StartsWith("VNeID (bản phát hành mới)", await AnswerAsync(bot, "VNeID là gì, dùng để làm gì?"));
                Assert.Empty((await staff.GetFromJsonAsync<JsonElement>("/api/admin/faq/entries?status=review")).EnumerateArray());
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed record LinkInput(string Title, string Url);

    private sealed record EntryInput(string Id, string Topic, string Question, string[] Alternates, string Answer, string[] Tags,
        LinkInput[] Links, string? Source, int Version);

    private static EntryInput Input(JsonElement content, string id, string topic, string answer, int version) => new(
        id, topic, content.GetProperty("question").GetString()!,
        content.GetProperty("alternates").EnumerateArray().Select(a => a.GetString()!).ToArray(), answer,
        content.GetProperty("tags").EnumerateArray().Select(a => a.GetString()!).ToArray(),
        content.GetProperty("links").EnumerateArray().Select(l => new LinkInput(l.GetProperty("title").GetString()!, l.GetProperty("url").GetString()!)).ToArray(),
        content.GetProperty("source").GetString(), version);

    private static async Task<JsonElement> GetEntryAsync(HttpClient staff, string id) =>
        await staff.GetFromJsonAsync<JsonElement>($"/api/admin/faq/entries/{id}");

    private static async Task<string?> AnswerAsync(RunningBot bot, string question)
    {
        var response = await bot.Client.PostAsJsonAsync("/api/ask", new { text = question });
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("answer").GetString();
    }

    private static async Task<HttpClient> SignedInClientAsync(RunningBot bot, string userName)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = bot.BaseAddress };
        var login = await client.PostAsJsonAsync("/api/admin/login", new { userName, password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return client;
    }

    /// <summary>The repository's data/ (FAQ and abbreviations) in a temporary folder the test may change.</summary>
    private static string CopyKnowledgeBase()
    {
        var source = Bot.KnowledgeOptions.FindRoot(null);
        var root = Directory.CreateTempSubdirectory("bot-release-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "faq"));
        foreach (var file in Directory.GetFiles(Path.Combine(source, "faq"))) File.Copy(file, Path.Combine(root, "faq", Path.GetFileName(file)));
        var abbreviations = Path.Combine(source, "abbreviations.yaml");
        if (File.Exists(abbreviations)) File.Copy(abbreviations, Path.Combine(root, "abbreviations.yaml"));
        return root;
    }
}
