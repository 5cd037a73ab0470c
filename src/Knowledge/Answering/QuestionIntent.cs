using Knowledge.Text;

namespace Knowledge;

/// <summary>
/// What kind of answer a question asks for beyond its subject: an amount ("bao nhiêu"), a place ("ở đâu"), a
/// time ("khi nào"), one among several ("ngân hàng nào") or the best one ("rẻ nhất"). These words are fillers
/// for matching, yet "lương hưu tháng này bao nhiêu" is not answered by an entry about receiving a pension.
/// </summary>
[Flags]
internal enum QuestionIntent
{
    None = 0,
    Amount = 1,
    Place = 2,
    Time = 4,
    Which = 8,
    Best = 16,
    Any = Amount | Place | Time | Which | Best,
}

internal static class QuestionIntents
{
    // Folded "X nào" asking for a time or a manner, not for one among several.
    private static readonly HashSet<string> NotWhich = new(StringComparer.Ordinal) { "the", "khi", "luc", "hom", "ngay", "bao", "cho", "noi", "lam", "sao" };
    private static readonly HashSet<string> TimeBeforeNao = new(StringComparer.Ordinal) { "khi", "luc", "hom", "ngay" };

    // "số điện thoại / số tài khoản / số tổng đài ... là bao nhiêu" asks which number, not an amount.
    private static readonly HashSet<string> NumberNames = new(StringComparer.Ordinal) { "dien", "tai", "tong", "hotline" };

    public static QuestionIntent Of(IReadOnlyList<Token> tokens)
    {
        var intent = QuestionIntent.None;
        var namesANumber = false;
        for (var i = 1; i < tokens.Count; i++)
            namesANumber |= tokens[i - 1].Folded == "so" && NumberNames.Contains(tokens[i].Folded);
        for (var i = 0; i < tokens.Count; i++)
        {
            var word = tokens[i].Folded;
            var previous = i > 0 ? tokens[i - 1].Folded : "";
            var next = i + 1 < tokens.Count ? tokens[i + 1].Folded : "";
            switch (word)
            {
                case "bao" when next is "gio" or "lau":
                case "may" when tokens[i].Accented == "mấy" && next == "gio":
                    intent |= QuestionIntent.Time;
                    break;
                // Not "mấy" alone: "mấy loại giấy tờ" is "the several kinds of papers".
                case "nhieu" when previous == "bao" && !namesANumber:
                    intent |= QuestionIntent.Amount;
                    break;
                // Folded "dau" is also "đầu" (head, start): only "ở đâu" and "đâu" typed with its marks ask where.
                case "dau" when previous == "o" || tokens[i].Accented == "đâu":
                    intent |= QuestionIntent.Place;
                    break;
                case "nao" when previous is "cho" or "noi":
                    intent |= QuestionIntent.Place;
                    break;
                case "nao" when TimeBeforeNao.Contains(previous):
                    intent |= QuestionIntent.Time;
                    break;
                case "nao" when i > 0 && !NotWhich.Contains(previous):
                    intent |= QuestionIntent.Which;
                    break;
                // Folded "nhat" is also "nhật" (cập nhật): only the marked superlative counts.
                case "nhat" when tokens[i].Accented == "nhất":
                    intent |= QuestionIntent.Best;
                    break;
            }
        }
        return intent;
    }
}
