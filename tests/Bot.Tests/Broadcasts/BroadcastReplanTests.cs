using Bot.Broadcasts;
using Bot.Storage;
using Bot.Tests.Infrastructure;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Broadcasts;

public sealed class BroadcastReplanTests
{
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
