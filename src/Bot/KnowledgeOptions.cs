using System.Globalization;
using Knowledge;
using Microsoft.Extensions.Options;

namespace Bot;

/// <summary>The "Knowledge" section, shared by the host and the CLI verbs, validated by <see cref="KnowledgeOptionsValidator"/>.</summary>
public sealed class KnowledgeOptions
{
    public const string Section = "Knowledge";
    public const string DefaultFolder = "data";

    /// <summary>The knowledge-base root; empty: "data" (with faq/) in the working directory or above it.</summary>
    public string? Root { get; set; }

    /// <summary>
    /// Knowledge:Threshold as written: parsed here, in the invariant culture, because the binder would read "0,6" as 6
    /// (a thousands separator) and fail on other text without naming the key in Vietnamese.
    /// </summary>
    [ConfigurationKeyName("Threshold")]
    public string? ThresholdSetting { get; set; }

    public AnswerOptions AnswerOptions =>
        string.IsNullOrWhiteSpace(ThresholdSetting) ? new AnswerOptions() : new AnswerOptions(ParseThreshold(ThresholdSetting)!.Value);

    /// <summary>The root in force: a CLI verb's --kb DIR, else Knowledge:Root, else data/ found upwards.</summary>
    public string ResolveRoot(string? kbArgument = null) => FindRoot(kbArgument ?? Root);

    /// <summary>The given folder, or without one "data" (with faq/) in the working directory, the executable's, or above them.</summary>
    public static string FindRoot(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
            return Path.GetFullPath(configured);

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, DefaultFolder);
                if (Directory.Exists(Path.Combine(candidate, "faq")))
                    return candidate;
            }
        }
        return Path.GetFullPath(DefaultFolder);
    }

    internal static double? ParseThreshold(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) && threshold is >= 0 and <= 1 ? threshold : null;
}

public sealed class KnowledgeOptionsValidator : IValidateOptions<KnowledgeOptions>
{
    public ValidateOptionsResult Validate(string? name, KnowledgeOptions o) =>
        !string.IsNullOrWhiteSpace(o.ThresholdSetting) && KnowledgeOptions.ParseThreshold(o.ThresholdSetting) is null
            ? ValidateOptionsResult.Fail($"Knowledge:Threshold: phải là một số từ 0 đến 1 (ví dụ 0.6), không phải \"{o.ThresholdSetting}\".")
            : ValidateOptionsResult.Success;
}
