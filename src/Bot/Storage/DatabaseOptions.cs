using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bot.Storage;

/// <summary>Database:Provider and ConnectionStrings:Bot, validated.</summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString)
{
    public const string DefaultSqlite = "Data Source=bot.db";

    public static DatabaseOptions FromConfiguration(IConfiguration configuration)
    {
        var providerText = configuration["Database:Provider"];
        DatabaseProvider provider;
        if (string.IsNullOrWhiteSpace(providerText)) provider = DatabaseProvider.Sqlite;
        else if (!Enum.TryParse(providerText, ignoreCase: true, out provider) || !Enum.IsDefined(provider))
            throw new StartupException("Database:Provider",
                $"không hỗ trợ \"{providerText}\"; chỉ nhận Sqlite (mặc định) hoặc Postgres.");

        var connectionString = configuration.GetConnectionString("Bot");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider == DatabaseProvider.Postgres)
                throw new StartupException("ConnectionStrings:Bot",
                    "cần chuỗi kết nối PostgreSQL khi Database:Provider=Postgres, ví dụ Host=127.0.0.1;Database=bot;Username=bot;Password=...");
            connectionString = DefaultSqlite;
        }

        try
        {
            if (provider == DatabaseProvider.Sqlite) _ = new SqliteConnectionStringBuilder(connectionString);
            else _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new StartupException("ConnectionStrings:Bot", $"chuỗi kết nối không hợp lệ ({e.Message}).");
        }
        return new DatabaseOptions(provider, connectionString);
    }

    /// <summary>A plain ADO.NET connection, opened, with the per-connection SQLite settings the EF connections get too.</summary>
    public async Task<DbConnection> OpenConnectionAsync(CancellationToken ct)
    {
        DbConnection connection = Provider == DatabaseProvider.Sqlite ? new SqliteConnection(ConnectionString) : new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        if (Provider == DatabaseProvider.Sqlite) await DbCommands.ExecuteAsync(connection, null, SqliteWriteSerializer.ConnectionPragmas, ct);
        return connection;
    }

    /// <summary>Connection string safe to log: no password.</summary>
    public string Describe()
    {
        if (Provider == DatabaseProvider.Sqlite)
            return "SQLite " + Path.GetFullPath(new SqliteConnectionStringBuilder(ConnectionString).DataSource);
        var b = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"PostgreSQL {b.Host}:{b.Port}/{b.Database}";
    }
}
