using Bot.Storage;
using Knowledge;

namespace Bot.Conversation;

/// <summary>
/// The conversation every channel shares: commands, topic menus, answers with related questions and feedback,
/// subscriptions and the flood limit. Channels translate platform updates to <see cref="IncomingMessage"/>
/// and render the <see cref="OutgoingMessage"/>s; nothing here knows a platform type.
/// </summary>
public sealed class ConversationFlow(
    QuestionAnswerer answerer, Residents residents, KnowledgeProvider knowledge, CommuneFacts commune,
    FloodLimiter flood, BotDbContext db)
{
    private const int MaxButtonLabel = 60;

    public async Task<IReadOnlyList<OutgoingMessage>> HandleAsync(IncomingMessage message, CancellationToken ct = default)
    {
        // Over the limit the message is kept: the channel puts it back and it is answered after the pause.
        switch (flood.Check(message.Channel, message.UserId))
        {
            case FloodLimiter.Verdict.RefuseSilently: throw new ResidentFloodingException(flood.Pause, null);
            case FloodLimiter.Verdict.RefuseWithNotice:
                throw new ResidentFloodingException(flood.Pause, new(
                    "Bà con gửi nhanh quá, tôi chưa kịp đọc hết 🙏 Tôi vẫn giữ các tin của bà con và sẽ trả lời lần lượt sau ít phút, bà con không cần gửi lại."));
        }

        var resident = await residents.GetOrCreateAsync(message.Channel, message.UserId, message.ChatId, message.DisplayName, ct);
        return message.Kind switch
        {
            IncomingKind.Command => await CommandAsync(resident, message.Command ?? "", message.Text, ct),
            IncomingKind.Button => await ButtonAsync(resident, message.ButtonData ?? "", ct),
            IncomingKind.Unsupported =>
                [new("Tôi chỉ đọc được tin nhắn chữ thôi ạ. Bà con gõ câu hỏi giúp tôi nhé, có dấu hay không dấu đều được.")],
            _ => await AnswerAsync(resident, message.Text, ct),
        };
    }

    private async Task<IReadOnlyList<OutgoingMessage>> CommandAsync(Resident resident, string command, string argument, CancellationToken ct) =>
        command switch
        {
            "start" => [Welcome(resident)],
            "menu" => [Menu("Bà con chọn chủ đề muốn hỏi:")],
            "help" or "trogiup" => [Help()],
            "lienhe" => [Contact()],
            "subscribe" or "dangky" => [await SubscribeAsync(resident, argument.Trim(), ct)],
            "unsubscribe" or "huydangky" or "stop" => [await UnsubscribeAsync(resident, ct)],
            _ => [Help()],
        };

    private async Task<IReadOnlyList<OutgoingMessage>> ButtonAsync(Resident resident, string data, CancellationToken ct)
    {
        var (kind, value) = data.IndexOf(':') is var i and > 0 ? (data[..i], data[(i + 1)..]) : (data, "");
        switch (kind)
        {
            case "t":
                return [TopicQuestions(value)];
            case "q":
                var outcome = await answerer.AnswerEntryAsync(resident.Channel, resident, value, ct);
                return outcome is null ? [Menu("Câu hỏi này không còn trong kho, bà con chọn chủ đề khác nhé:")] : [Render(outcome)];
            case "fb" when value.Split(':') is [var turn, var vote] && long.TryParse(turn, out var turnId):
                var stored = await answerer.RecordFeedbackAsync(turnId, resident.Id, vote == "+", ct);
                return [new(!stored ? "Không tìm thấy câu trả lời này." : vote == "+"
                    ? "Cảm ơn bà con! Rất vui vì câu trả lời có ích. 😊"
                    : "Cảm ơn bà con đã góp ý! Cán bộ xã sẽ xem lại câu trả lời này. Bà con có thể gõ /lienhe để gặp cán bộ.")];
            case "sub":
                return [await SubscribeAsync(resident, value == "*" ? "" : value, ct)];
            default:
                return [Menu("Nút này đã cũ, bà con chọn lại chủ đề nhé:")];
        }
    }

    private async Task<IReadOnlyList<OutgoingMessage>> AnswerAsync(Resident resident, string text, CancellationToken ct)
    {
        text = QuestionText.Clean(text);
        if (text.Length == 0) return [Help()];
        if (text.Length > QuestionAnswerer.MaxQuestionLength) text = text[..QuestionAnswerer.MaxQuestionLength];
        return [Render(await answerer.AskAsync(resident.Channel, resident, text, ct))];
    }

    private static OutgoingMessage Render(AskOutcome outcome)
    {
        var rows = new List<IReadOnlyList<ReplyButton>>();
        foreach (var entry in outcome.Related.Take(3))
            rows.Add([new ReplyButton("❓ " + Shorten(entry.Question), "q:" + entry.Id)]);
        if (outcome.Answer.Answered)
            rows.Add([new ReplyButton("👍 Hữu ích", $"fb:{outcome.TurnId}:+"), new ReplyButton("👎 Chưa đúng", $"fb:{outcome.TurnId}:-")]);
        return new OutgoingMessage(outcome.Reply, rows);
    }

    private OutgoingMessage Welcome(Resident resident)
    {
        var name = string.IsNullOrWhiteSpace(resident.DisplayName) ? "bà con" : resident.DisplayName;
        return Menu(commune.Fill(
            $"Xin chào {name}! Tôi là trợ lý số của UBND {{commune.name}}. Tôi giúp bà con về **VNeID**, **dịch vụ công trực tuyến**, " +
            "**thanh toán không dùng tiền mặt** và **phòng chống lừa đảo trên mạng**.\n\n" +
            "Bà con cứ gõ câu hỏi, có dấu hay không dấu đều được, hoặc chọn một chủ đề bên dưới.\n" +
            "Gõ /subscribe để nhận tin nhắc việc, /lienhe để gặp cán bộ xã."));
    }

    private OutgoingMessage Menu(string text) => new(text,
        knowledge.Current.Topics.Select(t => (IReadOnlyList<ReplyButton>)[new ReplyButton(t.Title, "t:" + t.Id)]).ToList());

    private OutgoingMessage TopicQuestions(string topicId)
    {
        var topic = knowledge.Current.Topics.FirstOrDefault(t => t.Id == topicId);
        if (topic is null) return Menu("Chủ đề này không còn, bà con chọn chủ đề khác nhé:");
        var rows = topic.Entries.Take(8)
            .Select(e => (IReadOnlyList<ReplyButton>)[new ReplyButton(Shorten(e.Question), "q:" + e.Id)]).ToList();
        return new OutgoingMessage($"**{topic.Title}** — các câu hỏi hay gặp. Bà con bấm vào câu muốn hỏi, hoặc gõ câu hỏi của mình:", rows);
    }

    private OutgoingMessage Help() => new(commune.Fill(
        "Bà con gõ câu hỏi bằng lời của mình, ví dụ: \"quên mật khẩu VNeID\", \"cách nộp hồ sơ khai sinh online\", " +
        "\"có người gọi xưng công an bắt chuyển tiền\".\n\n" +
        "Các lệnh:\n- /menu: chọn chủ đề\n- /lienhe: liên hệ cán bộ UBND {commune.name}\n" +
        "- /subscribe: nhận tin nhắc việc, cảnh báo lừa đảo\n- /unsubscribe: thôi nhận tin"));

    private OutgoingMessage Contact() => new(commune.Fill(
        "**Liên hệ UBND {commune.name}**\n" +
        "- Bộ phận một cửa (Trung tâm phục vụ hành chính công): {commune.address}, làm việc {commune.officeHours}.\n" +
        "- Điện thoại: {commune.hotline}.\n" +
        "- Hỗ trợ cài đặt, dùng ứng dụng: {commune.digitalTeam}.\n" +
        "- Gặp lừa đảo, mất tiền: báo ngay {commune.policeContact}; khẩn cấp gọi 113."));

    private async Task<OutgoingMessage> SubscribeAsync(Resident resident, string topicId, CancellationToken ct)
    {
        var topics = knowledge.Current.Topics;
        var wasSubscribed = resident.Subscribed;
        resident.Subscribed = true;
        resident.ConsentAt = DateTimeOffset.UtcNow;
        string text;
        if (topicId.Length > 0 && topics.FirstOrDefault(t => t.Id == topicId) is { } topic)
        {
            var chosen = (wasSubscribed ? SplitTopics(resident.Topics) : []).Append(topic.Id).Distinct().ToList();
            resident.Topics = string.Join(',', chosen);
            text = $"Đã ghi nhận: bà con nhận tin về {string.Join(", ", chosen.Select(id => topics.FirstOrDefault(t => t.Id == id)?.Title ?? id))}.";
        }
        else
        {
            resident.Topics = "";
            text = "Đã đăng ký: bà con sẽ nhận tin nhắc việc và cảnh báo lừa đảo từ UBND xã. Muốn chỉ nhận một vài chủ đề, bà con bấm chọn bên dưới.";
        }
        await db.SaveChangesAsync(ct);
        var rows = topics.Select(t => (IReadOnlyList<ReplyButton>)[new ReplyButton("Chỉ nhận: " + t.Title, "sub:" + t.Id)]).ToList();
        rows.Add([new ReplyButton("Nhận tất cả chủ đề", "sub:*")]);
        return new OutgoingMessage(text + "\nGõ /unsubscribe bất cứ lúc nào để thôi nhận.", rows);
    }

    private async Task<OutgoingMessage> UnsubscribeAsync(Resident resident, CancellationToken ct)
    {
        resident.Subscribed = false;
        resident.Topics = "";
        await db.SaveChangesAsync(ct);
        return new OutgoingMessage("Đã huỷ đăng ký: bà con sẽ không nhận tin nhắc việc nữa. Bà con vẫn hỏi đáp bình thường; gõ /subscribe nếu muốn nhận lại.");
    }

    private static IEnumerable<string> SplitTopics(string topics) =>
        topics.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Shorten(string text) => text.Length <= MaxButtonLabel ? text : text[..(MaxButtonLabel - 1)].TrimEnd() + "…";
}
