using Bot.Storage;
using Bot.Storage.Migrations;

namespace Bot.Cli;

public sealed class MigrateVerb(IServiceProvider provider) : ICliVerb
{
    public string Name => "migrate";
    public string Summary => "Tạo mới hoặc nâng cấp lược đồ cơ sở dữ liệu lên phiên bản mới nhất (--status: chỉ xem phiên bản).";

    public async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        var options = provider.GetRequiredService<DatabaseOptions>();
        if (args.Contains("--status"))
        {
            await using var scope = provider.CreateAsyncScope();
            var migrator = scope.ServiceProvider.GetRequiredService<SchemaMigrator>();
            output.WriteLine($"{options.Describe()}: phiên bản {await migrator.CurrentVersionAsync()}, mới nhất {migrator.LatestVersion}");
            return 0;
        }
        var version = await StorageSetup.PrepareDatabaseAsync(provider);
        output.WriteLine($"{options.Describe()}: lược đồ ở phiên bản {version}.");
        return 0;
    }
}
