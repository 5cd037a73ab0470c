using System.Text;
using Microsoft.Extensions.Logging.Console;

namespace Bot.Privacy;

/// <summary>
/// Console log lines never carry control characters from logged text: ESC could rewrite the operator's terminal,
/// NUL or a newline could forge or hide a line. Each one (and bidi overrides) is written as a visible \uXXXX escape.
/// </summary>
public static class LogTextSanitizer
{
    /// <summary>Wraps the console logger provider(s) already added to this builder.</summary>
    public static ILoggingBuilder StripControlCharacters(this ILoggingBuilder logging)
    {
        var services = logging.Services;
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i].ServiceType == typeof(ILoggerProvider) && services[i].ImplementationType == typeof(ConsoleLoggerProvider))
                services[i] = ServiceDescriptor.Singleton<ILoggerProvider>(sp =>
                    new Provider(ActivatorUtilities.CreateInstance<ConsoleLoggerProvider>(sp)));
        }
        return logging;
    }

    public static string Strip(string text)
    {
        var clean = true;
        foreach (var c in text)
            if (Unsafe(c)) { clean = false; break; }
        if (clean) return text;
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
            if (Unsafe(c)) sb.Append($"\\u{(int)c:X4}");
            else sb.Append(c);
        return sb.ToString();
    }

    private static bool Unsafe(char c) => (char.IsControl(c) && c != '\t') || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    [ProviderAlias("Console")] // Logging:Console:… filter rules keep applying
    private sealed class Provider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
    {
        public ILogger CreateLogger(string categoryName) => new Logger(inner.CreateLogger(categoryName));

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

        public void Dispose() => inner.Dispose();
    }

    private sealed class Logger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, (s, e) => Strip(formatter(s, e)));
    }
}
