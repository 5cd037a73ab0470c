using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Bot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Infrastructure;

/// <summary>The real bot host on a free loopback port, over a test database.</summary>
public sealed class RunningBot : IAsyncDisposable
{
    public WebApplication App { get; }
    public Uri BaseAddress { get; }
    public HttpClient Client { get; }

    private RunningBot(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    /// <summary>Runs a query on this host's database in a scope of its own.</summary>
    public async Task<T> DbAsync<T>(Func<BotDbContext, Task<T>> query)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<BotDbContext>());
    }

    /// <summary>The resident a channel's user is stored as.</summary>
    public Task<Resident> ResidentAsync(string channel, string platformUserId) =>
        DbAsync(db => db.Residents.SingleAsync(r => r.Channel == channel && r.PlatformUserId == platformUserId));

    public static async Task<RunningBot> StartAsync(TestDatabase database, params string[] extraArgs)
    {
        string[] args = ["--urls=http://127.0.0.1:0", "--Telegram:Mode=Off", .. database.Args, .. extraArgs];
        var app = await BotApp.BuildAsync(args);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningBot(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
