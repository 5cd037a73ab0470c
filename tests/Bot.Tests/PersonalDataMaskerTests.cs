using Bot.Privacy;

namespace Bot.Tests;

public sealed class PersonalDataMaskerTests
{
    [Theory]
    [InlineData("sdt của tôi là 0912345678 nhé", "sdt của tôi là *******678 nhé")]
    [InlineData("gọi +84 912 345 678", "gọi +** *** *** 678")]
    [InlineData("CCCD 001203004567 bị mất", "CCCD *********567 bị mất")]
    [InlineData("số 0912.345.678", "số ****.***.678")]
    [InlineData("email nguyenvana@gmail.com", "email ***@gmail.com")]
    [InlineData("Ngày 10/10 là ngày chuyển đổi số, năm 2026", "Ngày 10/10 là ngày chuyển đổi số, năm 2026")]
    [InlineData("mã OTP 123456", "mã OTP 123456")]
    [InlineData("sđt 0912  345  678 nhé", "sđt ****  ***  678 nhé")]
    [InlineData("gọi (091) 234-5678", "gọi (***) ***-*678")]
    [InlineData("số 0912/345/678", "số ****/***/678")]
    [InlineData("theo Kế hoạch 52/KH-UBND ngày 04/03/2026", "theo Kế hoạch 52/KH-UBND ngày 04/03/2026")]
    [InlineData("từ 01/01/2025 - 31/12/2025", "từ 01/01/2025 - 31/12/2025")]
    public void Masks_phone_id_and_email_but_keeps_dates_and_short_numbers(string input, string expected) =>
        Assert.Equal(expected, PersonalDataMasker.Mask(input));

    [Fact]
    public void Json_strings_are_masked_keeping_their_length_and_identifiers_untouched()
    {
        const string update = """{"update_id":7,"message":{"from":{"id":123456789012},"chat":{"id":123456789012},"text":"sđt tôi 0912345678","entities":[{"offset":0,"length":3}]},"callback_query":{"data":"q:0912345678"}}""";

        var masked = PersonalDataMasker.MaskJson(update);

        Assert.Contains("\"text\":\"sđt tôi *******678\"", masked);
        Assert.Contains("\"id\":123456789012", masked);
        Assert.Contains("\"data\":\"q:0912345678\"", masked);
    }

    [Fact]
    public void Json_with_nothing_to_mask_is_stored_exactly_as_it_came()
    {
        const string update = """{ "update_id": 8, "message": { "chat": { "id": 42 }, "text": "quên mật khẩu vneid \u0111" } }""";

        Assert.Same(update, PersonalDataMasker.MaskJson(update));
    }

    [Theory]
    // A string in an array has no key of its own; a value under an identifier key is still looked into when it is an object.
    [InlineData("""{"tags":["0912345678"]}""", """{"tags":["*******678"]}""")]
    [InlineData("""{"data":{"note":"0912345678"}}""", """{"data":{"note":"*******678"}}""")]
    [InlineData("""{"id":"0912345678","text":"mail a@b.vn"}""", """{"id":"0912345678","text":"mail *@b.vn"}""")]
    // Escaped digits are digits all the same.
    [InlineData("""{"text":"\u0030912345678"}""", """{"text":"*******678"}""")]
    public void Json_strings_that_need_masking_are_found_wherever_they_are(string json, string expected) =>
        Assert.Equal(expected, PersonalDataMasker.MaskJson(json));

    [Fact]
    public void Json_whose_numbers_are_all_identifiers_is_not_rewritten()
    {
        const string update = """{"update_id":123456789,"message":{"from":{"id":123456789012,"first_name":"Dân"},"date":1764633600,"text":"mã OTP 123456"},"callback_query":{"id":"4382735628","data":"fb:123456789:+"}}""";

        Assert.Same(update, PersonalDataMasker.MaskJson(update));
    }
}
