using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bot.Tests.Broadcasts;

/// <summary>The bot as a separate operating-system process (dotnet Bot.dll serve …), so a test can kill it outright.</summary>
public sealed class BotProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    public Uri BaseAddress { get; }

    private BotProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
    }

    public string Output { get { lock (output) return output.ToString(); } }

    public static async Task<BotProcess> StartAsync(int port, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(BotDll());
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var bot = new BotProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
        bot.process.OutputDataReceived += (_, e) => { lock (bot.output) bot.output.AppendLine(e.Data); };
        bot.process.ErrorDataReceived += (_, e) => { lock (bot.output) bot.output.AppendLine(e.Data); };
        bot.process.BeginOutputReadLine();
        bot.process.BeginErrorReadLine();
        await bot.WaitHealthyAsync();
        return bot;
    }

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException("the bot process exited:\n" + Output);
            try
            {
                if ((await http.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the bot process did not become healthy:\n" + Output);
            await Task.Delay(200);
        }
    }

    /// <summary>Ends the process and its children at once: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Bot.dll next to the tests when its runtime config was copied too, else the Bot project's own output.</summary>
    private static string BotDll()
    {
        var here = AppContext.BaseDirectory;
        if (File.Exists(Path.Combine(here, "Bot.runtimeconfig.json"))) return Path.Combine(here, "Bot.dll");
        var configuration = new DirectoryInfo(here.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        for (var dir = new DirectoryInfo(here); dir is not null; dir = dir.Parent)
        {
            var dll = Path.Combine(dir.FullName, "src", "Bot", "bin", configuration, "net10.0", "Bot.dll");
            if (File.Exists(dll)) return dll;
        }
        throw new FileNotFoundException("Bot.dll with its runtime configuration not found");
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }
}
