using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Bot.Storage;

/// <summary>How timestamps are stored: UTC ticks on SQLite (which cannot compare or order DateTimeOffset text), timestamptz on PostgreSQL.</summary>
public static class StoredTimestamps
{
    // Built once: a converter compiles its conversion delegate on first use.
    public static readonly DateTimeOffsetToBinaryConverter SqliteConverter = new();

    /// <summary>The value to bind in raw SQL.</summary>
    public static object For(DatabaseProvider provider, DateTimeOffset value) => provider == DatabaseProvider.Sqlite
        ? SqliteConverter.ConvertToProvider(value.ToUniversalTime())!
        : value.ToUniversalTime();
}
