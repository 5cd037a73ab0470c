using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Bot.Storage;

/// <summary>
/// SQLite allows one writer at a time and answers a second one SQLITE_BUSY, which the driver resolves by
/// sleeping and retrying: hundreds of milliseconds under load. Queuing this process's writers in memory
/// instead keeps every write short. Each connection also runs WAL with synchronous=NORMAL: a commit
/// survives a crash of the process; only an operating-system crash or power loss can undo the last commits.
/// Writers this queue does not know (the scheduler's store) can still hold the lock for a moment: busy_timeout
/// lets SQLite wait for it in steps of a few milliseconds, where the driver would sleep 150 ms at once.
/// secure_delete overwrites deleted content with zeros, so purged rows leave nothing readable in free pages.
/// The settings belong to the physical connection, which the driver's pool keeps open between uses: they are set
/// the first time it is opened, not each time a context takes it from the pool.
/// </summary>
public sealed class SqliteWriteSerializer(DatabaseOptions options) : DbConnectionInterceptor, ISaveChangesInterceptor
{
    public const string ConnectionPragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA secure_delete=ON; PRAGMA cache_size=-16384;";
    private readonly SemaphoreSlim writer = new(1, 1);
    private readonly ConditionalWeakTable<object, object> configured = [];

    /// <summary>Runs a write that bypasses SaveChanges (ExecuteUpdate) in turn with the others; PostgreSQL needs no queue.</summary>
    public async Task<T> WriteAsync<T>(Func<Task<T>> write, CancellationToken ct)
    {
        if (options.Provider != DatabaseProvider.Sqlite) return await write();
        await writer.WaitAsync(ct);
        try { return await write(); }
        finally { writer.Release(); }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        if (!FirstOpen(connection)) return;
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = ConnectionPragmas;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!FirstOpen(connection)) return;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = ConnectionPragmas;
        cmd.ExecuteNonQuery();
    }

    /// <summary>True the first time this physical connection (the SQLite handle the pool hands out again) is seen.</summary>
    private bool FirstOpen(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || configured.TryAdd(handle, handle);

    public async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        await writer.WaitAsync(ct);
        return result;
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        writer.Wait();
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        writer.Release();
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        writer.Release();
        return result;
    }

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken ct = default)
    {
        writer.Release();
        return Task.CompletedTask;
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => writer.Release();

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken ct = default)
    {
        writer.Release();
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData) => writer.Release();
}
