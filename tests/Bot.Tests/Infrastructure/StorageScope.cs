using Bot.Storage;
using Bot.Storage.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Tests.Infrastructure;

/// <summary>The bot's storage services over a test database, without the web host.</summary>
public sealed class StorageScope : IAsyncDisposable
{
    private readonly ServiceProvider provider;
    public IServiceProvider Services => provider;

    public StorageScope(TestDatabase database)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(database.Settings).Build();
        provider = new ServiceCollection()
            .AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance)
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddBotStorage()
            .BuildServiceProvider();
    }

    public BotDbContext NewContext() => provider.CreateScope().ServiceProvider.GetRequiredService<BotDbContext>();

    public SchemaMigrator NewMigrator() => provider.CreateScope().ServiceProvider.GetRequiredService<SchemaMigrator>();

    public ValueTask DisposeAsync() => provider.DisposeAsync();
}
