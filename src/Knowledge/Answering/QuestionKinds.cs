using Knowledge.Text;

namespace Knowledge;

/// <summary>
/// What a question asks for beyond its subject, and what an answer gives: an amount ("bao nhiêu"), a fee ("có mất
/// tiền không", "lệ phí"), a place ("ở đâu"), a time ("khi nào", "bao lâu"), one among several ("ngân hàng nào"),
/// the best one ("rẻ nhất"), a yes or a no ("có cần … không"), a person ("ai"), a manner ("thế nào", "cách"), a
/// means of payment ("QR"), whom it is for (a child, an elderly or bedridden person) or the commune's plan. These
/// words are fillers for matching, yet "lương hưu tháng này bao nhiêu" is not answered by an entry about receiving
/// a pension, nor "ông nội 90 tuổi làm căn cước" by the entry on a child's card.
/// </summary>
[Flags]
internal enum QuestionKind
{
    None = 0,
    Amount = 1,
    Place = 2,
    Time = 4,
    Which = 8,
    Best = 16,
    YesNo = 32,
    Who = 64,
    Manner = 128,
    Qr = 256,
    Child = 512,
    Plan = 1024,
    Elderly = 2048,
    Fee = 4096,
    /// <summary>A time or an amount of this month, this year, tomorrow: a fact of the day no standing answer gives.</summary>
    Current = 8192,
    /// <summary>The kinds that ask for a piece of information: a candidate that never asks it is suspect.</summary>
    Information = Amount | Place | Time | Which | Best,
    /// <summary>What an answer can be checked for stating: asked by the question, given by the answer or not.</summary>
    Specific = Amount | Fee | Place | Time | Who | Qr | Child | Elderly | Current,
}

/// <summary>One scanner of a question's (or a wording's, or an answer's) tokens for its QuestionKind.</summary>
internal static class QuestionKinds
{
    public const int Count = 14;

    // Folded "X nào" asking for a time or a manner, not for one among several.
    private static readonly HashSet<string> NotWhich = new(StringComparer.Ordinal) { "the", "khi", "luc", "hom", "ngay", "bao", "cho", "noi", "lam", "sao" };
    private static readonly HashSet<string> TimeBeforeNao = new(StringComparer.Ordinal) { "khi", "luc", "hom", "ngay" };
    // "số điện thoại / số tài khoản / số tổng đài ... là bao nhiêu" asks which number, not an amount.
    private static readonly HashSet<string> NumberNames = new(StringComparer.Ordinal) { "dien", "tai", "tong", "hotline" };
    private static readonly HashSet<string> AfterChildCon = new(StringComparer.Ordinal) { "", "toi", "em", "minh", "duoi", "nho", "be", "cai", "trai", "gai" };
    // "mất tiền", "tốn phí", "lệ phí", "thu phí", "miễn phí", "hết bao nhiêu tiền".
    private static readonly HashSet<string> BeforeFee = new(StringComparer.Ordinal) { "mat", "ton", "le", "thu", "mien", "tinh", "tru", "het", "nhieu" };
    // "tháng này", "năm nay", "hôm nay", "tuần sau", "tháng tới", "ngày mai" (folded).
    private static readonly HashSet<string> PeriodNames = new(StringComparer.Ordinal) { "thang", "nam", "tuan", "hom", "dot", "ky", "ngay" };
    private static readonly HashSet<string> Grandparents = new(StringComparer.Ordinal) { "noi", "ngoai", "gia", "cu" };

    /// <summary>What a question (or an FAQ question, alternate or heading) asks.</summary>
    public static QuestionKind Of(IReadOnlyList<Token> tokens)
    {
        var kind = QuestionKind.None;
        var namesANumber = false;
        var sawCo = false;
        var namesThisPeriod = false;
        for (var i = 1; i < tokens.Count; i++)
            namesANumber |= tokens[i - 1].Folded == "so" && NumberNames.Contains(tokens[i].Folded);
        for (var i = 0; i < tokens.Count; i++)
        {
            var word = tokens[i].Folded;
            var previous = i > 0 ? tokens[i - 1].Folded : "";
            var next = i + 1 < tokens.Count ? tokens[i + 1].Folded : "";
            var nearEnd = i >= tokens.Count - 3;
            switch (word)
            {
                case "bao" when next is "gio" or "lau":
                case "may" when tokens[i].Accented == "mấy" && next is "gio" or "ngay" or "nam" or "thang":
                // "lương hưu về ngày mấy", "mấy giờ" typed without marks is "ngay may".
                case "may" when (tokens[i].Accented == "mấy" || !tokens[i].HasMarks) && previous is "ngay" or "gio" or "thang":
                    kind |= QuestionKind.Time;
                    break;
                // Not "mấy" alone: "mấy loại giấy tờ" is "the several kinds of papers".
                case "nhieu" when previous == "bao" && !namesANumber:
                    kind |= next is "tien" or "phi" ? QuestionKind.Amount | QuestionKind.Fee : QuestionKind.Amount;
                    break;
                // Folded "dau" is also "đầu" (head, start): only "ở đâu" and "đâu" typed with its marks ask where.
                case "dau" when previous == "o" || tokens[i].Accented == "đâu":
                    kind |= QuestionKind.Place;
                    break;
                case "nao" when previous is "cho" or "noi":
                    kind |= QuestionKind.Place;
                    break;
                case "nao" when TimeBeforeNao.Contains(previous):
                    kind |= QuestionKind.Time;
                    break;
                case "nao" when previous == "the":
                    kind |= QuestionKind.Manner;
                    break;
                case "nao" when i > 0 && !NotWhich.Contains(previous):
                    kind |= QuestionKind.Which;
                    break;
                // Folded "nhat" is also "nhật" (cập nhật): only the marked superlative counts.
                case "nhat" when tokens[i].Accented == "nhất":
                    kind |= QuestionKind.Best;
                    break;
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
                case "sao" when previous == "lam":
                case "cach":
                    kind |= QuestionKind.Manner;
                    break;
                case "qr":
                    kind |= QuestionKind.Qr;
                    break;
                case "con" when AfterChildCon.Contains(next):
                case "tre" when next is "em" or "so":
                    kind |= QuestionKind.Child;
                    break;
                case "tuoi" when int.TryParse(previous, out var age):
                    kind |= age < 16 ? QuestionKind.Child : age >= 60 ? QuestionKind.Elderly : QuestionKind.None;
                    break;
                case "tuoi" when previous == "cao":
                case "gia" when previous == "nguoi":
                case "ong" when Grandparents.Contains(next):
                case "ba" when tokens[i].Accented == "bà" && next is "noi" or "ngoai":
                case "cho" when previous == "mot" && i >= 2 && tokens[i - 2].Folded == "nam":
                case "liet":
                    kind |= QuestionKind.Elderly;
                    break;
                case "phi" when BeforeFee.Contains(previous):
                case "tien" when previous is "mat" or "ton" or "het":
                    kind |= QuestionKind.Fee;
                    break;
                case "hoach" when previous == "ke":
                    kind |= QuestionKind.Plan;
                    break;
                // "phòng nào chủ trì", "đơn vị nào phụ trách": who is in charge; a plan's "Tổ chức thực hiện" assigns it.
                case "tri" when previous == "chu":
                case "trach" when previous == "phu":
                case "hien" when previous == "thuc" && i >= 3 && tokens[i - 2].Folded == "chuc" && tokens[i - 3].Folded == "to":
                    kind |= QuestionKind.Who;
                    break;
            }
            namesThisPeriod |= PeriodNames.Contains(previous) && word switch
            {
                "nay" => previous != "ngay",
                "sau" or "toi" => previous is "tuan" or "thang" or "nam" or "dot" or "ky",
                "mai" => previous == "ngay",
                _ => false,
            };
        }
        // "học phí năm nay bao nhiêu", "lương hưu tháng này về ngày mấy", "lớp tuần sau học ngày nào".
        if (namesThisPeriod && (kind & (QuestionKind.Time | QuestionKind.Amount)) != 0) kind |= QuestionKind.Current;
        return kind;
    }

    private static readonly HashSet<string> Currency = new(StringComparer.Ordinal) { "dong", "d", "vnd", "nghin", "ngan", "trieu", "k", "tr" };
    private static readonly HashSet<string> TimeUnits = new(StringComparer.Ordinal) { "ngay", "thang", "nam", "gio", "phut", "tuan" };
    private static readonly HashSet<string> YesNoOpenings = new(StringComparer.Ordinal) { "duoc", "khong", "co", "can", "chua", "bat", "nen", "phai", "chi", "mien" };

    /// <summary>
    /// What an answer (or a passage) states: a sum of money or that it is free (Amount and Fee), a place ("tại",
    /// an address), a time (a number of days, months, a deadline), a person or office, an opening yes or no, QR,
    /// and whom it speaks of (children, the elderly or bedridden).
    /// </summary>
    public static QuestionKind GivenBy(IReadOnlyList<Token> tokens)
    {
        var kind = QuestionKind.None;
        if (tokens.Count > 0 && YesNoOpenings.Contains(tokens[0].Folded)) kind |= QuestionKind.YesNo;
        for (var i = 0; i < tokens.Count; i++)
        {
            var word = tokens[i].Folded;
            var previous = i > 0 ? tokens[i - 1].Folded : "";
            var next = i + 1 < tokens.Count ? tokens[i + 1].Folded : "";
            var isNumber = word.Length > 0 && char.IsDigit(word[0]);
            if (isNumber && (Currency.Contains(next) || next == "phan" || word.EndsWith('k'))) kind |= QuestionKind.Amount | QuestionKind.Fee;
            if (isNumber && TimeUnits.Contains(next)) kind |= QuestionKind.Time;
            switch (word)
            {
                case "phi" when previous is "mien" or "le" or "mat" or "thu" or "ton":
                    kind |= QuestionKind.Fee;
                    break;
                case "hoach" when previous == "ke":
                    kind |= QuestionKind.Plan;
                    break;
                case "tai" when next is "bo" or "tru" or "uy" or "ubnd" or "xa" or "nha" or "quay" or "diem" or "commune":
                case "chi" when previous == "dia":
                    kind |= QuestionKind.Place;
                    break;
                case "han" when previous is "thoi" or "ngay":
                case "vong" when previous == "trong":
                case "truoc" when next == "ngay":
                case "ky" when previous == "dinh":
                case "thang" or "quy" or "nam" when previous == "hang":
                    kind |= QuestionKind.Time;
                    break;
                // A plan's assigning section: "chủ trì, phối hợp", "phụ trách", "giao".
                case "tri" when previous == "chu":
                case "trach" when previous == "phu":
                case "bo" when previous == "can":
                case "an" when previous == "cong":
                case "vien" when previous is "giao" or "doan" or "huong":
                case "digitalteam" or "policecontact" or "hotline":
                    kind |= QuestionKind.Who;
                    break;
                case "qr":
                    kind |= QuestionKind.Qr;
                    break;
            }
        }
        // Whom the answer speaks of, read as a question's audience is.
        return kind | (Of(tokens) & (QuestionKind.Child | QuestionKind.Elderly));
    }
}
