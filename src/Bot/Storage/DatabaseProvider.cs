namespace Bot.Storage;

public enum DatabaseProvider { Sqlite, Postgres }
