using Bot.Storage;
using Npgsql;

namespace Bot.Tests.Infrastructure;

/// <summary>A fresh real database for one test: a SQLite file in a temp folder, or a new PostgreSQL database on the test cluster.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    private readonly string? folder;
    private readonly string? postgresName;

    private TestDatabase(DatabaseProvider provider, string connectionString, string? folder, string? postgresName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        this.folder = folder;
        this.postgresName = postgresName;
    }

    /// <summary>Providers to run storage tests on: always SQLite; PostgreSQL when test.sh started a cluster.</summary>
    public static TheoryData<DatabaseProvider> Providers()
    {
        var data = new TheoryData<DatabaseProvider> { DatabaseProvider.Sqlite };
        if (PostgresAdmin is not null) data.Add(DatabaseProvider.Postgres);
        else if (Environment.GetEnvironmentVariable("BOT_REQUIRE_POSTGRES") == "1")
            throw new InvalidOperationException("BOT_REQUIRE_POSTGRES=1 but BOT_TEST_POSTGRES is not set.");
        return data;
    }

    public static string? PostgresAdmin => Environment.GetEnvironmentVariable("BOT_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var dir = Directory.CreateTempSubdirectory("bot-test-").FullName;
            return new TestDatabase(provider, $"Data Source={Path.Combine(dir, "bot.db")};Pooling=False", dir, null);
        }
        var admin = PostgresAdmin ?? throw new InvalidOperationException("BOT_TEST_POSTGRES is not set.");
        var name = "bot_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await cmd.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(provider, builder.ConnectionString, null, name);
    }

    /// <summary>Settings for the host or CLI: --Database:Provider=… --ConnectionStrings:Bot=….</summary>
    public string[] Args => [$"--Database:Provider={Provider}", $"--ConnectionStrings:Bot={ConnectionString}"];

    public Dictionary<string, string?> Settings => new()
    {
        ["Database:Provider"] = Provider.ToString(),
        ["ConnectionStrings:Bot"] = ConnectionString,
    };

    /// <summary>Every byte SQLite keeps on disk for this database: the file, its write-ahead log and shared memory.</summary>
    public byte[] SqliteBytes()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource;
        return new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists)
            .SelectMany(file => { using var s = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete); var m = new MemoryStream(); s.CopyTo(m); return m.ToArray(); })
            .ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        if (folder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, true); } catch (IOException) { }
        }
        if (postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(PostgresAdmin);
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {postgresName} WITH (FORCE)", connection);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
