using System.Data.Common;
using System.Threading.Channels;

namespace Bot.Storage;

/// <summary>
/// Runs the statements every message writes (inbox insert, outcome, conversation turn) in shared transactions:
/// what arrives while one batch commits goes into the next. A commit then costs one WAL append (SQLite) or one
/// flush (PostgreSQL) per batch instead of per statement, on long-lived connections with prepared commands.
/// Each caller gets its own result or exception once its batch is committed; a failing statement rolls the
/// batch back and its statements are retried one by one, so one bad row never fails the others.
/// </summary>
public sealed class GroupCommit : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private readonly DatabaseOptions options;
    private readonly SqliteWriteSerializer serializer;
    private readonly ILogger<GroupCommit> logger;
    private readonly Channel<Write> writes = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { AllowSynchronousContinuations = false });
    private readonly Lazy<Task> writers;

    public GroupCommit(DatabaseOptions options, SqliteWriteSerializer serializer, ILogger<GroupCommit> logger)
    {
        this.options = options;
        this.serializer = serializer;
        this.logger = logger;
        // SQLite has one writer anyway; PostgreSQL commits batches on a few connections at once.
        var count = options.Provider == DatabaseProvider.Sqlite ? 1 : 4;
        writers = new Lazy<Task>(() => Task.WhenAll(Enumerable.Range(0, count).Select(_ => Task.Run(WriteLoopAsync))));
    }

    /// <summary>The value to bind for a timestamp column.</summary>
    public object Timestamp(DateTimeOffset value) => StoredTimestamps.For(options.Provider, value);

    /// <summary>Runs an INSERT/UPDATE/DELETE; returns the rows affected once committed.</summary>
    public async Task<int> ExecuteAsync(FormattableString sql) => (int)await EnqueueAsync(sql, scalar: false);

    /// <summary>Runs a statement returning one number (INSERT … RETURNING id); returns it once committed.</summary>
    public Task<long> ScalarAsync(FormattableString sql) => EnqueueAsync(sql, scalar: true);

    private Task<long> EnqueueAsync(FormattableString sql, bool scalar)
    {
        _ = writers.Value;
        var write = new Write(sql.Format, sql.GetArguments(), scalar);
        if (!writes.Writer.TryWrite(write)) throw new ObjectDisposedException(nameof(GroupCommit));
        return write.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Write>(MaxBatch);
        Session? session = null;
        try
        {
            while (await writes.Reader.WaitToReadAsync())
            {
                batch.Clear();
                while (batch.Count < MaxBatch && writes.Reader.TryRead(out var write)) batch.Add(write);
                if (batch.Count == 0) continue;
                try
                {
                    session ??= new Session(await options.OpenConnectionAsync(CancellationToken.None));
                    await serializer.WriteAsync(() => CommitAsync(session, batch), CancellationToken.None);
                }
                catch (Exception e)
                {
                    // The connection itself failed (database gone, disk full): every caller of the batch hears it.
                    logger.LogWarning("Group commit of {Count} statements failed: {Error}", batch.Count, e.Message);
                    foreach (var write in batch) write.Done.TrySetException(e);
                    if (session is not null) await session.DisposeAsync();
                    session = null;
                }
            }
        }
        finally
        {
            if (session is not null) await session.DisposeAsync();
        }
    }

    private static async Task<bool> CommitAsync(Session session, List<Write> batch)
    {
        var results = new long[batch.Count];
        await using (var transaction = await session.Connection.BeginTransactionAsync())
        {
            try
            {
                for (var i = 0; i < batch.Count; i++) results[i] = await session.RunAsync(batch[i], transaction);
                await transaction.CommitAsync();
            }
            catch (DbException)
            {
                await transaction.RollbackAsync();
                await OneByOneAsync(session, batch);
                return true;
            }
        }
        for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
        return true;
    }

    private static async Task OneByOneAsync(Session session, List<Write> batch)
    {
        foreach (var write in batch)
        {
            try { write.Done.TrySetResult(await session.RunAsync(write, null)); }
            catch (DbException e) { write.Done.TrySetException(e); }
        }
    }

    public async ValueTask DisposeAsync()
    {
        writes.Writer.TryComplete();
        if (writers.IsValueCreated) await writers.Value;
    }

    private sealed record Write(string Format, object?[] Arguments, bool Scalar)
    {
        public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One writer's connection and its prepared commands, one per statement text.</summary>
    private sealed class Session(DbConnection connection) : IAsyncDisposable
    {
        private readonly Dictionary<string, DbCommand> commands = [];

        public DbConnection Connection => connection;

        public async Task<long> RunAsync(Write write, DbTransaction? transaction)
        {
            if (!commands.TryGetValue(write.Format, out var command))
            {
                var names = write.Arguments.Select((_, i) => (object)$"@p{i}").ToArray();
                command = connection.CreateCommand();
                command.CommandText = string.Format(write.Format, names);
                for (var i = 0; i < write.Arguments.Length; i++)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = $"@p{i}";
                    command.Parameters.Add(parameter);
                }
                commands[write.Format] = command;
            }
            command.Transaction = transaction;
            for (var i = 0; i < write.Arguments.Length; i++) command.Parameters[i].Value = write.Arguments[i] ?? DBNull.Value;
            return write.Scalar
                ? Convert.ToInt64(await command.ExecuteScalarAsync())
                : await command.ExecuteNonQueryAsync();
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in commands.Values) await command.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
