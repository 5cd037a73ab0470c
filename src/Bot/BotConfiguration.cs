using Bot.Conversation;
using Bot.Privacy;

namespace Bot;

/// <summary>Configuration sources shared by the web host and the CLI verbs.</summary>
public static class BotConfiguration
{
    /// <summary>For the CLI verbs: the sources of <see cref="AddSources"/>.</summary>
    public static IConfigurationRoot Build(string[] args) => new ConfigurationBuilder().AddSources(args).Build();

    /// <summary>
    /// appsettings.json beside the executable, then appsettings.{Environment}.json, then environment variables, then
    /// --Key=Value. The web host adds them to its own builder rather than chaining a built root: a chained configuration
    /// reads a value set empty (--Broadcasts:QuietHours= turns quiet hours off) as missing.
    /// </summary>
    public static IConfigurationBuilder AddSources(this IConfigurationBuilder builder, string[] args) => builder
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddJsonFile($"appsettings.{Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production"}.json", optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine(args);

    /// <summary>
    /// The sections the web host and the CLI verbs both read (the database's comes with the storage): the same type
    /// and validator for both, so a bad value stops either naming its key.
    /// </summary>
    public static IServiceCollection AddSharedOptions(this IServiceCollection services) => services
        .AddValidatedOptions<KnowledgeOptions, KnowledgeOptionsValidator>(KnowledgeOptions.Section)
        .AddValidatedOptions<CommuneOptions, CommuneOptionsValidator>(CommuneOptions.Section);

    /// <summary>CLI verbs keep standard output for their results: every log line goes to standard error.</summary>
    public static void ConfigureCliLogging(ILoggingBuilder logging, IConfiguration configuration)
    {
        logging.AddConfiguration(configuration.GetSection("Logging"));
        logging.AddSimpleConsole(o => o.SingleLine = true);
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.StripControlCharacters();
    }
}
