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
}
