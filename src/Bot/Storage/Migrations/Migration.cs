namespace Bot.Storage.Migrations;

/// <summary>
/// One versioned schema step. Sql is written once for both providers with type tokens:
/// {id} identity primary key, {ts} timestamp, {bool} boolean, {false}/{true}, {long} 64-bit integer, {real} double.
/// PostgresSql, when given, replaces Sql on PostgreSQL: for the rare step the providers need differently (an index on
/// an expression of SQLite's timestamp encoding).
/// </summary>
public sealed record Migration(int Version, string Name, string Sql, string? PostgresSql = null);
