using Bot.Broadcasts;
using Bot.Storage;
using Bot.Tests.Infrastructure;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Broadcasts;

public sealed class BroadcastReplanTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers();

    [Theory, MemberData(nameof(Providers))]
    public async Task Upgrading_drops_the_Quartz_job_store(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var storage = new StorageScope(database);
        await storage.NewMigrator().MigrateAsync(4);
        var db = storage.NewContext();
        // As Quartz created them (a parent and a child referencing it), with a row each.
        await db.Database.ExecuteSqlRawAsync("""
            CREATE TABLE qrtz_job_details (sched_name VARCHAR(120) NOT NULL, job_name VARCHAR(150) NOT NULL, PRIMARY KEY (sched_name, job_name));
            CREATE TABLE qrtz_triggers (sched_name VARCHAR(120) NOT NULL, trigger_name VARCHAR(150) NOT NULL, job_name VARCHAR(150) NOT NULL,
                PRIMARY KEY (sched_name, trigger_name), FOREIGN KEY (sched_name, job_name) REFERENCES qrtz_job_details (sched_name, job_name));
            INSERT INTO qrtz_job_details VALUES ('commune-bot', 'broadcast-1');
            INSERT INTO qrtz_triggers VALUES ('commune-bot', 'broadcast-1', 'broadcast-1');
            """);

        await storage.NewMigrator().MigrateAsync();

        var probe = provider == DatabaseProvider.Sqlite
            ? "SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE name LIKE 'qrtz%'"
            : "SELECT COUNT(*)::int AS \"Value\" FROM information_schema.tables WHERE table_name LIKE 'qrtz%'";
        Assert.Equal(0, await db.Database.SqlQueryRaw<int>(probe).SingleAsync());
    }

    [Fact]
    public async Task Broadcasts_waiting_without_a_start_job_get_one_at_start_up()
    {
        // Planned before Hangfire kept the schedule (or its job was lost): the database says scheduled, Hangfire knows nothing.
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var local = VietnamTime.ToLocal(DateTimeOffset.UtcNow);
        var tomorrowMorning = new DateTimeOffset(local.Date.AddDays(1).AddHours(9), local.Offset);
        long later, overdue;
        await using (var storage = new StorageScope(database))
        {
            await storage.NewMigrator().MigrateAsync();
            var db = storage.NewContext();
            Broadcast Waiting(DateTimeOffset sendAt) => new() { Text = "Họp dân.", SendAt = sendAt, CreatedBy = "staff", CreatedAt = DateTimeOffset.UtcNow };
            var (a, b) = (Waiting(tomorrowMorning), Waiting(DateTimeOffset.UtcNow.AddMinutes(-5)));
            db.Broadcasts.AddRange(a, b);
            await db.SaveChangesAsync();
            (later, overdue) = (a.Id, b.Id);
        }

        await using var bot = await RunningBot.StartAsync(database, $"--Admin:ApiKeys:0={BroadcastScenario.ApiKey}", "--Broadcasts:QuietHours=");
        using var staff = BroadcastScenario.StaffClient(bot.BaseAddress);

        Assert.Equal(tomorrowMorning, BroadcastPlanner.ScheduledStart(bot.App.Services.GetRequiredService<JobStorage>(), later)!.Value.StartAt);
        Assert.Equal(BroadcastStatus.Done, (await BroadcastScenario.WaitDoneAsync(staff, overdue))["status"]!.GetValue<string>());
    }
}
