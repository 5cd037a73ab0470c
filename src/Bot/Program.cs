// Throw-away dispatcher for the knowledge branch; the host branch replaces this file.
using Bot.Cli;

Console.OutputEncoding = System.Text.Encoding.UTF8;
Console.InputEncoding = System.Text.Encoding.UTF8;
var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
ICliVerb[] verbs = [new AskVerb(configuration), new EvalVerb(configuration), new ImportVerb(configuration), new BenchVerb()];
var verb = verbs.FirstOrDefault(v => v.Name == args.FirstOrDefault());
if (verb is null)
{
    foreach (var v in verbs) Console.Error.WriteLine($"{v.Name}: {v.Summary}");
    return 2;
}
return await verb.RunAsync(args[1..], Console.In, Console.Out, Console.Error);
