using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Tests.Privacy;

[Collection(nameof(ConsoleCapture))]
public sealed class LogTextSanitizerTests
{
    [Fact]
    public void Control_characters_in_logged_text_reach_the_console_only_as_visible_escapes()
    {
        var captured = new StringWriter();
        var original = System.Console.Error;
        System.Console.SetError(captured);
        try
        {
            var configuration = new ConfigurationBuilder().Build();
            using (var services = new ServiceCollection().AddLogging(l => BotConfiguration.ConfigureCliLogging(l, configuration)).BuildServiceProvider())
            {
                services.GetRequiredService<ILoggerFactory>().CreateLogger("Test")
                    .LogWarning("question=\"{Question}\"", "\u001b[31mđỏ\u0000 hết\r\ninfo: Bot[0] dòng giả");
            }
        }
        finally { System.Console.SetError(original); }
        var text = captured.ToString();
        Assert.Contains("question=", text);
        // Ordinal: a culture-aware comparison ignores control characters altogether.
        Assert.DoesNotContain("\u001b[31mđỏ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u0000", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\ninfo: Bot[0] dòng giả", text, StringComparison.Ordinal);
        Assert.Contains("\\u001B[31mđỏ\\u0000 hết\\u000D\\u000Ainfo: Bot[0] dòng giả", text);
    }
}

/// <summary>Tests that swap the process's console writers do not run alongside each other.</summary>
[CollectionDefinition(nameof(ConsoleCapture))]
public sealed class ConsoleCapture;
