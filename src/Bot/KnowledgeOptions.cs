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

    /// <summary>Confidence (0–1) below which the bot abstains; unset: the knowledge base's default.</summary>
    public double? Threshold { get; set; }

    public AnswerOptions AnswerOptions => Threshold is { } threshold ? new AnswerOptions(threshold) : new AnswerOptions();

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
}

public sealed class KnowledgeOptionsValidator : IValidateOptions<KnowledgeOptions>
{
    public ValidateOptionsResult Validate(string? name, KnowledgeOptions o) =>
        o.Threshold is { } threshold && threshold is not (>= 0 and <= 1)
            ? ValidateOptionsResult.Fail($"Knowledge:Threshold: phải là một số từ 0 đến 1 (ví dụ 0.6), không phải {threshold.ToString(CultureInfo.InvariantCulture)}.")
            : ValidateOptionsResult.Success;
}
