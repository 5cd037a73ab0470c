namespace Bot.Storage.Migrations;

/// <summary>
/// One versioned schema step. Sql is written once for both providers with type tokens:
/// {id} identity primary key, {ts} timestamp, {bool} boolean, {false}/{true}, {long} 64-bit integer, {real} double.
/// </summary>
public sealed record Migration(int Version, string Name, string Sql);
