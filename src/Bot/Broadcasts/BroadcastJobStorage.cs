using Bot.Storage;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Microsoft.Data.Sqlite;

namespace Bot.Broadcasts;

/// <summary>
/// Hangfire's job storage for Database:Provider. On SQLite it is a file of its own next to the bot's database
/// (bot.db → bot.hangfire.db): Hangfire's polling and heartbeats then never hold the lock our writers wait for.
/// On PostgreSQL it is the "hangfire" schema of the bot's database, shared by every node.
/// </summary>
public static class BroadcastJobStorage
{
    /// <summary>How soon a job enqueued on another node (or before a restart) is picked up.</summary>
    private static readonly TimeSpan QueuePollInterval = TimeSpan.FromSeconds(1);

    public static JobStorage Create(DatabaseOptions database)
    {
        if (database.Provider == DatabaseProvider.Postgres)
        {
            var options = new PostgreSqlStorageOptions
            {
                SchemaName = "hangfire",
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = QueuePollInterval,
                // A running job keeps its claim alive, so a node that stops lets another take its job within a minute.
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = TimeSpan.FromMinutes(1),
            };
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(database.ConnectionString, options), options);
        }
        return new SQLiteStorage(SqlitePath(database), new SQLiteStorageOptions
        {
            QueuePollInterval = QueuePollInterval,
            // One process uses the file: a job left half-run by a killed process is run again soon after the restart.
            InvisibilityTimeout = TimeSpan.FromMinutes(1),
        });
    }

    /// <summary>The Hangfire file beside the bot's SQLite database.</summary>
    public static string SqlitePath(DatabaseOptions database)
    {
        var path = Path.GetFullPath(new SqliteConnectionStringBuilder(database.ConnectionString).DataSource);
        return Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + ".hangfire.db");
    }
}
