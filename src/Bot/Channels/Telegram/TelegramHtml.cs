namespace Bot.Channels.Telegram;

/// <summary>Text for parse_mode "HTML".</summary>
public static class TelegramHtml
{
    /// <summary>Escapes &amp;, &lt; and &gt;, the characters Telegram requires as entities outside tags.</summary>
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny('&', '<', '>') < 0) return text;
        return text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
