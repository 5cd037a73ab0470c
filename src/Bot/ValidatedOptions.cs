using Microsoft.Extensions.Options;

namespace Bot;

/// <summary>
/// One options type per configuration section: bound once, validated at start-up by its <see cref="IValidateOptions{T}"/>.
/// A validator's failure is one Vietnamese line starting with the key ("Telegram:BotToken: …"); the CLI prints it as
/// a configuration error instead of a stack trace.
/// </summary>
public static class ValidatedOptions
{
    public static IServiceCollection AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        // Consumers take the bound value itself.
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TOptions>>().Value);
        return services;
    }

    /// <summary>The lines of a failed validation, or null when e is not one.</summary>
    public static IReadOnlyList<string>? Failures(Exception e) => e switch
    {
        OptionsValidationException v => v.Failures.ToList(),
        AggregateException a when a.InnerExceptions.All(i => i is OptionsValidationException) =>
            a.InnerExceptions.SelectMany(i => ((OptionsValidationException)i).Failures).ToList(),
        _ => null,
    };
}
