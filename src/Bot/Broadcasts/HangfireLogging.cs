using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace Bot.Broadcasts;

/// <summary>
/// Hangfire takes one log provider for the whole process, and its components keep the loggers they got. Each host
/// attaches its logging while it runs; Hangfire writes to the newest host still running, never to a disposed one
/// (tests and benchmarks run several hosts in one process; a deployed bot runs one).
/// </summary>
public sealed class HangfireLogging(ILoggerFactory loggerFactory) : IHostedService
{
    private static readonly Lock Sync = new();
    private static readonly List<AspNetCoreLogProvider> Live = [];
    private readonly AspNetCoreLogProvider _own = new(loggerFactory);

    public static readonly ILogProvider ProcessWide = new Forwarder();

    public Task StartAsync(CancellationToken ct)
    {
        lock (Sync) Live.Add(_own);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct)
    {
        lock (Sync) Live.Remove(_own);
        return Task.CompletedTask;
    }

    private sealed class Forwarder : ILogProvider
    {
        public ILog GetLogger(string name) => new ForwardingLog(name);
    }

    private sealed class ForwardingLog(string name) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            AspNetCoreLogProvider? current;
            lock (Sync) current = Live.Count > 0 ? Live[^1] : null;
            try
            {
                return current?.GetLogger(name).Log(logLevel, messageFunc!, exception) ?? false;
            }
            catch (ObjectDisposedException)
            {
                return false; // that host stopped between the lookup and the write
            }
        }
    }
}
