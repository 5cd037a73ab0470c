using System.Data.Common;
using Bot.Storage;

namespace Bot.Broadcasts;

/// <summary>
/// Plain ADO.NET access to the broadcast tables for the set-based statements EF Core cannot express
/// (INSERT … SELECT, UPDATE … RETURNING, SKIP LOCKED), in the two providers' dialects.
/// </summary>
public sealed class BroadcastDatabase(DatabaseOptions options, SqliteWriteSerializer serializer)
{
    public bool IsPostgres => options.Provider == DatabaseProvider.Postgres;
    public string True => IsPostgres ? "TRUE" : "1";
    public string False => IsPostgres ? "FALSE" : "0";

    /// <summary>Row locks two nodes' claims skip instead of waiting for (PostgreSQL); SQLite has one writer anyway.</summary>
    public string SkipLocked => IsPostgres ? "FOR UPDATE SKIP LOCKED" : "";

    /// <summary>"is text a member of this comma-separated list" in SQL.</summary>
    public string ListContains(string list, string item) =>
        $"{(IsPostgres ? "strpos" : "instr")}(',' || {list} || ',', ',' || {item} || ',') > 0";

    public object Timestamp(DateTimeOffset value) => StoredTimestamps.For(options.Provider, value);

    public Task<DbConnection> OpenAsync(CancellationToken ct) => options.OpenConnectionAsync(ct);

    /// <summary>Runs a write in turn with this process's other SQLite writers (see <see cref="SqliteWriteSerializer"/>).</summary>
    public Task<T> WriteAsync<T>(Func<Task<T>> write, CancellationToken ct) => serializer.WriteAsync(write, ct);

    /// <summary>"1,2,3" for an IN list: ids are numbers from our own rows, never text from outside.</summary>
    public static string IdList(IEnumerable<long> ids) => string.Join(',', ids);
}
