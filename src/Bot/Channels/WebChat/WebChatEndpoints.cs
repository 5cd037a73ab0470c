using Bot.Ai;
using Bot.Conversation;
using Bot.Privacy;
using Bot.Storage;
using System.Text.Json.Nodes;
using Knowledge;
using Microsoft.EntityFrameworkCore;

namespace Bot.Channels.WebChat;

/// <summary>
/// The web chat's API: POST /api/ask (the DESIGN.md contract plus the reply text), feedback, welcome, staff replies.
/// The session is the server-issued cookie (<see cref="WebChatSession"/>); a session id in a request body is ignored.
/// </summary>
public static class WebChatEndpoints
{
    public const string Channel = ChannelIds.WebChat;

    public sealed record AskRequest(string? Text);
    public sealed record FeedbackRequest(long TurnId, bool Helpful);

    public static IServiceCollection AddWebChat(this IServiceCollection services)
    {
        services.AddValidatedOptions<WebChatOptions, WebChatOptionsValidator>(WebChatOptions.Section);
        return services.AddSingleton<WebChatLimiter>();
    }

    public static void MapWebChat(this WebApplication app)
    {
        var limiter = app.Services.GetRequiredService<WebChatLimiter>();
        var api = app.MapGroup("/api").WithTags("web chat");

        api.MapPost("/ask", async (AskRequest request, HttpContext http, QuestionAnswerer answerer, Residents residents, CancellationToken ct) =>
        {
            var text = QuestionText.Clean(request.Text);
            if (text.Length == 0)
                return Results.Problem("Bà con chưa nhập câu hỏi.", statusCode: 400);
            if (text.Length > QuestionAnswerer.MaxQuestionLength)
                return Results.Problem($"Câu hỏi dài quá {QuestionAnswerer.MaxQuestionLength} ký tự, bà con viết ngắn lại giúp nhé.", statusCode: 400);

            var residentId = WebChatSession.ResidentId(WebChatSession.FindOrIssue(http));
            var resident = await residents.GetOrCreateAsync(Channel, residentId, residentId, null, ct);
            var outcome = await answerer.AskAsync(Channel, resident, text, ct);
            // The `ask --json` object, plus what the chat needs to show.
            var json = AnswerJson.ToJson(outcome.Answer, includeResults: false);
            json["answer"] = outcome.Reply;
            AnswerSources.AddTo(json, outcome.Composition);
            json["turnId"] = outcome.TurnId;
            json["handedOver"] = outcome.HandoverId is not null;
            json["relatedQuestions"] = new JsonArray(outcome.Related
                .Select(r => (JsonNode)new JsonObject { ["id"] = r.Id, ["question"] = r.Question }).ToArray());
            return Results.Text(json.ToJsonString(AnswerJson.Options), "application/json; charset=utf-8");
        }).AddEndpointFilter(limiter.FilterAsync);

        api.MapPost("/feedback", async (FeedbackRequest request, HttpContext http, QuestionAnswerer answerer, BotDbContext db, CancellationToken ct) =>
        {
            var resident = await FindWebResidentAsync(db, http.Request, ct);
            if (resident is null) return Results.Problem("Không tìm thấy câu trả lời này.", statusCode: 404);
            return await answerer.RecordFeedbackAsync(request.TurnId, resident.Id, request.Helpful, ct)
                ? Results.NoContent()
                : Results.Problem("Không tìm thấy câu trả lời này.", statusCode: 404);
        }).AddEndpointFilter(limiter.FilterAsync);

        api.MapGet("/chat/welcome", (KnowledgeProvider knowledge, CommuneFacts commune) => Results.Ok(new
        {
            title = commune.Has("name") ? $"Trợ lý số {commune.Name}" : "Trợ lý số của xã",
            greeting = commune.Fill(
                "Xin chào! Tôi là trợ lý số của UBND {commune.name}. Bà con có thể hỏi về **VNeID**, **dịch vụ công trực tuyến**, " +
                "**thanh toán không dùng tiền mặt** và **cách phòng tránh lừa đảo**. Chọn một chủ đề bên dưới hoặc gõ câu hỏi."),
            topics = knowledge.Current.Topics.Select(t => new { id = t.Id, title = t.Title, sample = t.Entries.FirstOrDefault()?.Question }),
        }));

        // Staff replies to this session's handed-over questions, each delivered once.
        api.MapGet("/chat/replies", async (HttpContext http, BotDbContext db, CancellationToken ct) =>
        {
            var resident = await FindWebResidentAsync(db, http.Request, ct);
            if (resident is null) return Results.Ok(Array.Empty<object>());
            var replies = await db.Handovers
                .Where(h => h.ResidentId == resident.Id && h.Status == HandoverStatus.Answered && h.DeliveredAt == null)
                .OrderBy(h => h.Id).ToListAsync(ct);
            var delivered = replies.Select(h => new { question = h.Question, text = h.StaffReply }).ToList();
            foreach (var h in replies)
            {
                h.DeliveredAt = DateTimeOffset.UtcNow;
                h.StaffReply = PersonalDataMasker.Mask(h.StaffReply);
            }
            await db.SaveChangesAsync(ct);
            return Results.Ok(delivered);
        });
    }

    private static async Task<Resident?> FindWebResidentAsync(BotDbContext db, HttpRequest request, CancellationToken ct)
    {
        if (WebChatSession.Find(request) is not { } session) return null;
        var residentId = WebChatSession.ResidentId(session);
        return await db.Residents.FirstOrDefaultAsync(r => r.Channel == Channel && r.PlatformUserId == residentId, ct);
    }
}
