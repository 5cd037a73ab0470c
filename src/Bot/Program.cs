using Microsoft.EntityFrameworkCore;
var b = new DbContextOptionsBuilder<DbContext>().UseSqlite("Data Source=/tmp/x.db").Options;
using var db = new DbContext(b);
db.Database.OpenConnection();
var c = db.Database.GetDbConnection(); var cmd = c.CreateCommand(); cmd.CommandText = "select sqlite_version()"; Console.WriteLine(cmd.ExecuteScalar());
