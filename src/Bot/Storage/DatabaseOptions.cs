using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bot.Storage;

/// <summary>
/// The "Database" section with ConnectionStrings:Bot (kept where .NET hosts keep connection strings), shared by the
/// host and the CLI verbs and validated by <see cref="DatabaseOptionsValidator"/>.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string DefaultSqlite = "Data Source=bot.db";

    /// <summary>Database:Provider as written: Sqlite (the default) or Postgres.</summary>
    [ConfigurationKeyName("Provider")]
    public string? ProviderSetting { get; set; }

    /// <summary>ConnectionStrings:Bot as written (set at composition, see <see cref="StorageSetup"/>).</summary>
    public string? ConnectionStringSetting { get; internal set; }

    private DatabaseProvider? _provider;

    /// <summary>Internal so that the binder, which would try to convert Database:Provider into it too, leaves it alone.</summary>
    internal DatabaseProvider Provider =>
        _provider ??= ParseProvider(ProviderSetting) ?? throw new InvalidOperationException("Database:Provider was not validated.");

    public string ConnectionString => string.IsNullOrWhiteSpace(ConnectionStringSetting) ? DefaultSqlite : ConnectionStringSetting;

    /// <summary>The provider named, Sqlite when none is; null when the name is not one.</summary>
    internal static DatabaseProvider? ParseProvider(string? text) =>
        string.IsNullOrWhiteSpace(text) ? DatabaseProvider.Sqlite
        : Enum.TryParse<DatabaseProvider>(text, ignoreCase: true, out var provider) && Enum.IsDefined(provider) ? provider : null;

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

public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions o) =>
        Problem(o) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    private static string? Problem(DatabaseOptions o)
    {
        if (DatabaseOptions.ParseProvider(o.ProviderSetting) is not { } provider)
            return $"Database:Provider: không hỗ trợ \"{o.ProviderSetting}\"; chỉ nhận Sqlite (mặc định) hoặc Postgres.";
        if (provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(o.ConnectionStringSetting))
            return "ConnectionStrings:Bot: cần chuỗi kết nối PostgreSQL khi Database:Provider=Postgres, ví dụ Host=127.0.0.1;Database=bot;Username=bot;Password=...";
        try
        {
            if (provider == DatabaseProvider.Sqlite) _ = new SqliteConnectionStringBuilder(o.ConnectionString);
            else _ = new NpgsqlConnectionStringBuilder(o.ConnectionString);
        }
        catch (ArgumentException e)
        {
            return $"ConnectionStrings:Bot: chuỗi kết nối không hợp lệ ({e.Message}).";
        }
        return null;
    }
}
