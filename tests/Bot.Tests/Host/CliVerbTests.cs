using Bot.Cli;
using Bot.Storage;
using Bot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bot.Tests.Host;

public sealed class CliVerbTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers();

    private static async Task<(int Code, string Output, string Error)> Run(string input, params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = await CliRunner.RunAsync(args, new StringReader(input), output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Migrate_and_staff_verbs_take_settings_from_the_command_line_and_audit(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var settings = database.Args;

        var status = await Run("", ["migrate", "--status", .. settings]);
        Assert.Equal(0, status.Code);
        Assert.Contains("phiên bản 0", status.Output);

        var migrated = await Run("", ["migrate", .. settings]);
        Assert.Equal(0, migrated.Code);
        Assert.Contains($"phiên bản {Bot.Storage.Migrations.SchemaHistory.All[^1].Version}", migrated.Output);

        Assert.Equal(1, (await Run("ngan", ["staff", "add", "hoa", .. settings])).Code);
        var added = await Run("mat-khau-rat-dai\n", ["staff", "add", "hoa", "--name", "Chị Hoà", "--admin", .. settings]);
        Assert.Equal(0, added.Code);
        Assert.Equal(1, (await Run("mat-khau-rat-dai\n", ["staff", "add", "hoa", .. settings])).Code);
        Assert.Contains("hoa\tChị Hoà\tadmin", (await Run("", ["staff", "list", .. settings])).Output);
        Assert.Equal(0, (await Run("", ["staff", "disable", "hoa", .. settings])).Code);

        await using var storage = new StorageScope(database);
        await using var db = storage.NewContext();
        Assert.True((await db.StaffAccounts.SingleAsync()).Disabled);
        Assert.Equal(["staff-add", "staff-disable"], await db.AuditEntries.OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }
}
