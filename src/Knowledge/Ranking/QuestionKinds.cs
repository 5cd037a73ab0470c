using Knowledge.Text;

namespace Knowledge.Ranking;

/// <summary>
/// How a question is asked, beyond QuestionIntent's amount/place/time: whether it wants a yes or a no
/// ("có cần … không", "có bắt buộc không"), a person ("ai"), a manner ("thế nào", "cách"), or names a means of
/// payment ("QR") or a child ("con", "trẻ em"). The re-ranker compares these with each candidate's wordings.
/// </summary>
[Flags]
internal enum QuestionKind
{
    None = 0,
    YesNo = 1,
    Who = 2,
    Manner = 4,
    Qr = 8,
    Child = 16,
    Plan = 32,
}

internal static class QuestionKinds
{
    public const int Count = 6;

    public static QuestionKind Of(IReadOnlyList<Token> tokens)
    {
        var kind = QuestionKind.None;
        var sawCo = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var word = tokens[i].Folded;
            var next = i + 1 < tokens.Count ? tokens[i + 1].Folded : "";
            var previous = i > 0 ? tokens[i - 1].Folded : "";
            var nearEnd = i >= tokens.Count - 3;
            switch (word)
            {
                case "co":
                    sawCo = true;
                    break;
                // "… có cần về xã không", "… được không", "… phải không", "… chưa" (near the end of the question).
                case "khong" when nearEnd && (sawCo || previous is "duoc" or "phai" or "dung"):
                case "chua" when nearEnd && sawCo:
                    kind |= QuestionKind.YesNo;
                    break;
                case "ai" when !tokens[i].HasMarks || tokens[i].Accented == "ai":
                    kind |= QuestionKind.Who;
                    break;
                case "nao" when previous == "the":
                case "sao" when previous == "lam":
                case "cach":
                    kind |= QuestionKind.Manner;
                    break;
                case "qr":
                    kind |= QuestionKind.Qr;
                    break;
                case "con" when next is "" or "toi" or "em" or "minh" or "duoi" or "nho" or "be" or "cai" or "trai" or "gai":
                case "tre" when next == "em":
                    kind |= QuestionKind.Child;
                    break;
                case "hoach" when previous == "ke":
                    kind |= QuestionKind.Plan;
                    break;
            }
        }
        return kind;
    }
}
