using System.Text;
using Bot.Ai;
using Bot.Storage;

namespace Bot.Cli;

/// <summary>Dispatches `Bot [verb] [args]`; no verb (or only --key=value settings) means serve.</summary>
public static class CliRunner
{
    private static readonly Type[] VerbTypes =
    [
        typeof(ServeVerb), typeof(MigrateVerb), typeof(AskVerb), typeof(EvalVerb), typeof(ImportVerb),
        typeof(BenchVerb), typeof(StaffVerb),
    ];

    public static async Task<int> RunAsync(string[] args, TextReader? input = null, TextWriter? output = null, TextWriter? error = null)
    {
        Console.OutputEncoding = Encoding.UTF8;
        input ??= Console.In;
        output ??= Console.Out;
        error ??= Console.Error;

        var verbName = args.Length == 0 || args[0].StartsWith("--") && !IsHelp(args[0]) ? "serve" : args[0];
        var verbArgs = verbName == "serve" && (args.Length == 0 || args[0] != "serve") ? args : args[1..];
        // `--Section:Key=value` is configuration for every verb; serve hands all its arguments to the web host.
        var settings = verbArgs.Where(IsSetting).ToArray();
        if (verbName != "serve") verbArgs = verbArgs.Where(a => !IsSetting(a)).ToArray();

        await using var services = BuildServices(settings);
        var verbs = VerbTypes.Select(t => (ICliVerb)services.GetRequiredService(t)).ToList();
        if (IsHelp(verbName))
        {
            PrintHelp(verbs, output);
            return 0;
        }
        var verb = verbs.FirstOrDefault(v => v.Name == verbName);
        if (verb is null)
        {
            error.WriteLine($"Không có lệnh \"{verbName}\".");
            PrintHelp(verbs, error);
            return 2;
        }
        if (verbName != "serve" && verbArgs.Any(IsHelp))
        {
            output.WriteLine($"{verb.Name}: {verb.Summary}");
            return 0;
        }
        try
        {
            return await verb.RunAsync(verbArgs, input, output, error);
        }
        catch (StartupException e)
        {
            error.WriteLine($"Lỗi cấu hình {e.Message}");
            return 3;
        }
        catch (Exception e) when (ValidatedOptions.Failures(e) is { } failures)
        {
            foreach (var failure in failures) error.WriteLine($"Lỗi cấu hình {failure}");
            return 3;
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"Tham số không hợp lệ: {e.Message}");
            error.WriteLine($"{verb.Name}: {verb.Summary}");
            return 2;
        }
    }

    private static bool IsHelp(string arg) => arg is "--help" or "-h" or "help";

    private static bool IsSetting(string arg) =>
        arg.StartsWith("--") && arg.IndexOf('=') is var eq && eq > 2 && arg.AsSpan(2, eq - 2).Contains(':');

    private static void PrintHelp(IEnumerable<ICliVerb> verbs, TextWriter output)
    {
        output.WriteLine("Cách dùng: dotnet run --project src/Bot -- [lệnh] [tham số]");
        output.WriteLine();
        output.WriteLine("Các lệnh:");
        foreach (var verb in verbs) output.WriteLine($"  {verb.Name,-10} {verb.Summary}");
        output.WriteLine();
        output.WriteLine("Không ghi lệnh nào thì chạy \"serve\". Cấu hình: appsettings.json, biến môi trường (vd. Database__Provider=Postgres) hoặc --Khoá=GiáTrị.");
    }

    private static ServiceProvider BuildServices(string[] settings)
    {
        var configuration = BotConfiguration.Build(settings);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => BotConfiguration.ConfigureCliLogging(logging, configuration));
        services.AddBotStorage();
        services.AddSharedOptions();
        services.AddScoped<Admin.AuditLog>();
        services.AddSingleton<Conversation.CommuneFacts>();
        services.AddAi();
        // Verbs take IOptions<T> and read it when they run: resolving every verb (for help) validates no section.
        foreach (var type in VerbTypes) services.AddTransient(type);
        return services.BuildServiceProvider();
    }
}
