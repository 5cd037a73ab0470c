using System.Globalization;
using Knowledge;

namespace Bot;

/// <summary>Knowledge:Threshold, read in one place for the host and the CLI verbs: a bad value stops them naming the key.</summary>
public static class KnowledgeThreshold
{
    public const string Key = "Knowledge:Threshold";

    public static AnswerOptions AnswerOptions(IConfiguration configuration)
    {
        var text = configuration[Key];
        if (string.IsNullOrWhiteSpace(text)) return new AnswerOptions();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) && threshold is >= 0 and <= 1)
            return new AnswerOptions(threshold);
        throw new StartupException(Key, $"phải là một số từ 0 đến 1 (ví dụ 0.6), không phải \"{text}\".");
    }
}
