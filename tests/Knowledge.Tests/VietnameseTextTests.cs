using System.Text;
using Knowledge.Text;

namespace Knowledge.Tests;

public class VietnameseTextTests
{
    private static string[] Accented(string text) => TextAnalyzer.Tokenize(text).Select(t => t.Accented).ToArray();
    private static string[] Folded(string text) => TextAnalyzer.Tokenize(text).Select(t => t.Folded).ToArray();

    [Fact]
    public void Decomposed_input_gives_the_same_tokens_as_composed()
    {
        var composed = "Quên mật khẩu định danh điện tử";
        var decomposed = composed.Normalize(NormalizationForm.FormD);
        Assert.NotEqual(composed, decomposed);
        Assert.Equal(Accented(composed), Accented(decomposed));
    }

    [Theory]
    [InlineData("hòa", "hoà")]
    [InlineData("thủy", "thuỷ")]
    [InlineData("khỏe", "khoẻ")]
    [InlineData("Hóa đơn", "Hoá đơn")]
    [InlineData("quý", "qúy")]
    public void Old_and_new_tone_placement_give_the_same_token(string oldStyle, string newStyle) =>
        Assert.Equal(Accented(oldStyle), Accented(newStyle));

    [Theory]
    [InlineData("của")]
    [InlineData("người")]
    [InlineData("giá")]
    [InlineData("hoạch")]
    [InlineData("tuổi")]
    public void Tone_placement_leaves_correct_syllables_alone(string syllable) => Assert.Equal([syllable], Accented(syllable));

    [Fact]
    public void Folding_removes_every_diacritic_and_turns_d_stroke_into_d() =>
        Assert.Equal(["duong", "dinh", "danh", "dien", "tu"], Folded("Đường ĐỊNH danh điện tử"));

    [Fact]
    public void All_caps_is_lowered() => Assert.Equal(Accented("quên mật khẩu vneid"), Accented("QUÊN MẬT KHẨU VNEID"));

    [Fact]
    public void Abbreviations_and_teencode_expand_to_full_words()
    {
        var analyzer = new TextAnalyzer(Abbreviations.BuiltIn);
        var tokens = analyzer.Analyze("ko đăng nhập dc, quên mk tk dvc").Select(t => t.Accented);
        Assert.Equal(["không", "đăng", "nhập", "được", "quên", "mật", "khẩu", "tài", "khoản", "dịch", "vụ", "công"], tokens);
    }

    [Fact]
    public void Remove_diacritics_keeps_case() => Assert.Equal("Quen mat khau VNeID", VietnameseText.RemoveDiacritics("Quên mật khẩu VNeID"));
}
