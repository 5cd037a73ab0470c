using Bot.Storage.Migrations;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Bot.Storage;

public static class StorageSetup
{
    public static IServiceCollection AddBotStorage(this IServiceCollection services)
    {
        // The host validates it at start-up; a CLI verb on first use, so verbs that never touch the database do not need it configured.
        services.AddValidatedOptions<DatabaseOptions, DatabaseOptionsValidator>(DatabaseOptions.Section);
        services.AddOptions<DatabaseOptions>().Configure<IConfiguration>((o, configuration) => o.ConnectionStringSetting = configuration.GetConnectionString("Bot"));
        services.AddSingleton<SqliteWriteSerializer>();
        services.AddSingleton<GroupCommit>();
        services.AddDbContextPool<BotDbContext>((sp, builder) =>
        {
            var options = sp.GetRequiredService<DatabaseOptions>();
            if (options.Provider == DatabaseProvider.Sqlite)
                builder.UseSqlite(options.ConnectionString).AddInterceptors(sp.GetRequiredService<SqliteWriteSerializer>());
            else builder.UseNpgsql(options.ConnectionString);
        });
        services.AddScoped<SchemaMigrator>();
        return services;
    }

    /// <summary>Checks that the database can be reached and written, then migrates it; bad settings become one clear message.</summary>
    public static async Task<int> PrepareDatabaseAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var options = services.GetRequiredService<DatabaseOptions>();
        if (options.Provider == DatabaseProvider.Sqlite) EnsureSqliteFolderWritable(options);
        await using var scope = services.CreateAsyncScope();
        var migrator = scope.ServiceProvider.GetRequiredService<SchemaMigrator>();
        try
        {
            return await migrator.MigrateAsync(ct: ct);
        }
        catch (Exception e) when (e is NpgsqlException or SqliteException or InvalidOperationException { InnerException: NpgsqlException or SqliteException })
        {
            var root = e.InnerException ?? e;
            throw new StartupException("ConnectionStrings:Bot",
                $"không mở được cơ sở dữ liệu {options.Describe()}: {root.Message}");
        }
    }

    private static void EnsureSqliteFolderWritable(DatabaseOptions options)
    {
        var path = new SqliteConnectionStringBuilder(options.ConnectionString).DataSource;
        if (path is "" or ":memory:" || path.StartsWith("file:", StringComparison.OrdinalIgnoreCase)) return;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".write-probe-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException("ConnectionStrings:Bot",
                $"không ghi được vào thư mục {folder} để tạo tệp SQLite ({e.Message}).");
        }
    }
}
