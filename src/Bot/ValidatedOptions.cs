using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Bot;

/// <summary>
/// One options type per configuration section: bound once, validated at start-up by its <see cref="IValidateOptions{T}"/>.
/// A validator's failure is one Vietnamese line starting with the key ("Telegram:BotToken: …"); the CLI prints it as
/// a configuration error instead of a stack trace. So is a value the binder cannot convert ("abc" for a number), and
/// a key the section does not have ("Commune:Hotlline"): misspelt, it would otherwise be ignored without a word.
/// </summary>
public static class ValidatedOptions
{
    public static IServiceCollection AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        // Runs before the binding, which would otherwise throw its own English exception without a line for the operator.
        services.AddOptions<TOptions>().Configure<IConfiguration>((_, configuration) => CheckSection<TOptions>(configuration.GetSection(section)));
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        // Consumers take the bound value itself.
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TOptions>>().Value);
        return services;
    }

    /// <summary>
    /// The section bound for a decision taken while composing (whether a channel is on at all), before the container
    /// that binds it for good exists; a value of the wrong kind fails with the same line.
    /// </summary>
    public static TOptions Read<TOptions>(IConfiguration configuration, string section) where TOptions : class, new()
    {
        var values = configuration.GetSection(section);
        CheckSection<TOptions>(values);
        return values.Get<TOptions>() ?? new TOptions();
    }

    /// <summary>The lines of a failed validation, or null when e is not one.</summary>
    public static IReadOnlyList<string>? Failures(Exception e) => e switch
    {
        OptionsValidationException v => v.Failures.ToList(),
        AggregateException a when a.InnerExceptions.All(i => i is OptionsValidationException) =>
            a.InnerExceptions.SelectMany(i => ((OptionsValidationException)i).Failures).ToList(),
        _ => null,
    };

    private static void CheckSection<TOptions>(IConfigurationSection section)
    {
        if ((Unknown(typeof(TOptions), section) ?? Unconvertible(typeof(TOptions), section)) is { } failure)
            throw new OptionsValidationException(section.Path, typeof(TOptions), [failure]);
    }

    /// <summary>The first key of the section that no property binds, as a failure line listing the keys it has.</summary>
    private static string? Unknown(Type options, IConfigurationSection section)
    {
        var keys = Bindable(options).Select(p => p.Key).ToList();
        var unknown = section.GetChildren().FirstOrDefault(c => !keys.Contains(c.Key, StringComparer.OrdinalIgnoreCase));
        return unknown is null ? null
            : $"{unknown.Path}: {section.Path} không có thiết lập \"{unknown.Key}\" (viết sai tên?). Các thiết lập của {section.Path}: {string.Join(", ", keys)}.";
    }

    private static IEnumerable<(string Key, PropertyInfo Property)> Bindable(Type options) =>
        options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true })
            .Select(p => (p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? p.Name, p));

    /// <summary>The first value of the section that the binder could not convert to its property's type, as a failure line.</summary>
    private static string? Unconvertible(Type options, IConfigurationSection section)
    {
        foreach (var (key, property) in Bindable(options))
        {
            if (section[key] is not { } text) continue;
            var type = Nullable.GetUnderlyingType(property.PropertyType);
            if (type is not null && text.Length == 0) continue; // an empty value leaves a nullable unset, as the binder does
            type ??= property.PropertyType;
            if (type == typeof(string)) continue;
            var converter = TypeDescriptor.GetConverter(type);
            if (!converter.CanConvertFrom(typeof(string))) continue;
            try
            {
                converter.ConvertFromInvariantString(text);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or NotSupportedException)
            {
                return $"{section.Path}:{key}: \"{text}\" không phải {Expected(type)}.";
            }
        }
        return null;
    }

    private static string Expected(Type type) =>
        type == typeof(int) || type == typeof(long) ? "số nguyên (ví dụ 20)"
        : type == typeof(double) ? "số, viết với dấu chấm (ví dụ 0.6)"
        : type == typeof(TimeSpan) ? "khoảng thời gian dạng giờ:phút:giây (ví dụ 00:01:00)"
        : type == typeof(bool) ? "true hoặc false"
        : type.IsEnum ? $"một trong {string.Join(", ", Enum.GetNames(type))}"
        : $"giá trị kiểu {type.Name}";
}
