using System.Data.Common;
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
/// </summary>
public sealed class SqliteWriteSerializer(DatabaseOptions options) : DbConnectionInterceptor, ISaveChangesInterceptor
{
    public const string ConnectionPragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA secure_delete=ON;";
    private readonly SemaphoreSlim writer = new(1, 1);

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
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = ConnectionPragmas;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = ConnectionPragmas;
        cmd.ExecuteNonQuery();
    }

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
