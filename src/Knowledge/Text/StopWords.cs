namespace Knowledge.Text;

/// <summary>
/// Question fillers ("làm sao", "thế nào", "cho tôi hỏi", "xã", "ở đâu"...) that must not carry a match by
/// themselves. Syllables typed with diacritics are checked against the accented list; syllables typed
/// without any against the folded list, which is kept short so that it does not swallow content words.
/// </summary>
internal static class StopWords
{
    private static readonly HashSet<string> Accented = new(StringComparer.Ordinal)
    {
        "làm", "sao", "thế", "nào", "như", "ra", "ở", "đâu", "cho", "tôi", "hỏi", "xã", "phường", "gì", "là",
        "không", "được", "có", "của", "và", "các", "những", "một", "thì", "mà", "ạ", "ơi", "vậy", "nhé", "nha", "với",
        "em", "anh", "chị", "mình", "bạn", "muốn", "cần", "phải", "bị", "để", "này", "đó", "kia", "nên", "hay",
        "hoặc", "giúp", "cách", "ai", "khi", "bao", "nhiêu", "tại", "về", "dạ", "vâng", "rồi", "biết",
        "chưa", "đã", "sẽ", "đang", "thể", "nữa", "luôn", "ông", "bà", "cô", "chú", "bác",
    };

    private static readonly HashSet<string> Folded = new(StringComparer.Ordinal)
    {
        "lam", "sao", "nao", "nhu", "o", "dau", "cho", "toi", "hoi", "xa", "gi", "la", "khong", "duoc",
        "cua", "va", "cac", "nhung", "mot", "thi", "a", "oi", "vay", "nhe", "nha", "voi", "em", "anh",
        "muon", "phai", "bi", "nay", "nen", "hay", "hoac", "giup", "cach", "ai", "khi",
        "nhieu", "ve", "roi", "biet", "chua", "da", "se", "dang", "nua",
    };

    public static bool Contains(Token token) =>
        token.HasMarks ? Accented.Contains(token.Accented) : Folded.Contains(token.Folded);
}
