using System.Text.Json.Nodes;
using Bot.Conversation;

namespace Bot.Channels.ZaloOa;

/// <summary>
/// Sends to a resident of the OA (replies, staff replies) as consultation messages: the numbered choices in the text,
/// and on the last part the OA's buttons (oa.query.show, whose tap sends the choice's number back as the resident's
/// message, answered like a typed number). Each message sent counts against the resident's free window.
/// </summary>
public sealed class ZaloOaSender(ZaloOaApi api, ZaloOaWindow window) : IChannelSender
{
    /// <summary>Zalo shows at most this many buttons under a message; more choices stay numbered in the text only.</summary>
    public const int MaxButtons = 5;

    /// <summary>Zalo's limit on a button's title.</summary>
    private const int MaxButtonTitle = 100;

    public string Channel => ChannelIds.Zalo;

    public Task SendAsync(string chatId, OutgoingMessage message, CancellationToken ct) =>
        SendAsync(chatId, NumberedChoices.Render(message, ZaloOaApi.MaxMessageLength), ct);

    public async Task SendAsync(string userId, NumberedChoices.Rendered rendered, CancellationToken ct)
    {
        var sent = 0;
        try
        {
            foreach (var part in rendered.Parts)
            {
                var last = sent == rendered.Parts.Count - 1;
                await api.SendConsultationAsync(userId, last ? Message(part, rendered.Labels) : new JsonObject { ["text"] = part }, ct);
                sent++;
            }
        }
        finally
        {
            await window.CountSentAsync(userId, sent);
        }
    }

    /// <summary>The text with the choices as buttons, when Zalo can show them all.</summary>
    public static JsonObject Message(string text, IReadOnlyList<string> labels)
    {
        var message = new JsonObject { ["text"] = text };
        if (labels.Count is 0 or > MaxButtons) return message;
        var buttons = new JsonArray();
        for (var i = 0; i < labels.Count; i++)
        {
            var title = labels[i].Length > MaxButtonTitle ? labels[i][..(MaxButtonTitle - 1)].TrimEnd() + "…" : labels[i];
            buttons.Add(new JsonObject { ["title"] = title, ["type"] = "oa.query.show", ["payload"] = (i + 1).ToString() });
        }
        message["attachment"] = new JsonObject { ["type"] = "template", ["payload"] = new JsonObject { ["buttons"] = buttons } };
        return message;
    }
}
