using System.Data.Common;
using Bot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;

namespace Bot.Broadcasts;

/// <summary>
/// Plain ADO.NET access to the broadcast tables for the set-based statements EF Core cannot express
/// (INSERT … SELECT, UPDATE … RETURNING, SKIP LOCKED), in the two providers' dialects.
/// </summary>
public sealed class BroadcastDatabase(DatabaseOptions options, SqliteWriteSerializer serializer)
{
    private static readonly DateTimeOffsetToBinaryConverter SqliteTimestamp = new();

    public bool IsPostgres => options.Provider == DatabaseProvider.Postgres;
    public string True => IsPostgres ? "TRUE" : "1";
    public string False => IsPostgres ? "FALSE" : "0";

    /// <summary>Row locks two nodes' claims skip instead of waiting for (PostgreSQL); SQLite has one writer anyway.</summary>
    public string SkipLocked => IsPostgres ? "FOR UPDATE SKIP LOCKED" : "";

    /// <summary>"is text a member of this comma-separated list" in SQL.</summary>
    public string ListContains(string list, string item) =>
        $"{(IsPostgres ? "strpos" : "instr")}(',' || {list} || ',', ',' || {item} || ',') > 0";

    public object Timestamp(DateTimeOffset value) =>
        IsPostgres ? value.ToUniversalTime() : SqliteTimestamp.ConvertToProvider(value.ToUniversalTime())!;

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        DbConnection connection = IsPostgres ? new NpgsqlConnection(options.ConnectionString) : new SqliteConnection(options.ConnectionString);
        await connection.OpenAsync(ct);
        if (!IsPostgres) await ExecuteAsync(connection, null, "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000", ct);
        return connection;
    }

    /// <summary>Runs a write in turn with this process's other SQLite writers (see <see cref="SqliteWriteSerializer"/>).</summary>
    public Task<T> WriteAsync<T>(Func<Task<T>> write, CancellationToken ct) => serializer.WriteAsync(write, ct);

    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>"1,2,3" for an IN list: ids are numbers from our own rows, never text from outside.</summary>
    public static string IdList(IEnumerable<long> ids) => string.Join(',', ids);
}
