namespace Knowledge.Text;

/// <summary>Public helpers over the Vietnamese text rules the index uses.</summary>
public static class VietnameseText
{
    /// <summary>"Quên mật khẩu" → "Quen mat khau": removes tone and vowel marks, đ → d, keeps case.</summary>
    public static string RemoveDiacritics(string text) =>
        VietnameseLetters.Fold(text.Normalize(System.Text.NormalizationForm.FormC));
}
