using Bot.Cli;

namespace Bot.Tests.Host;

public sealed class StartupConfigurationTests
{
    private static async Task<(int Code, string Error)> Serve(params string[] args)
    {
        var error = new StringWriter();
        var code = await CliRunner.RunAsync(["serve", "--urls=http://127.0.0.1:0", .. args], new StringReader(""), new StringWriter(), error);
        return (code, error.ToString());
    }

    [Fact]
    public async Task Unknown_provider_stops_with_one_message_naming_the_key()
    {
        var (code, error) = await Serve("--Database:Provider=Oracle");
        Assert.NotEqual(0, code);
        Assert.Contains("Database:Provider", error);
        Assert.Contains("Oracle", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("ask")]
    public async Task A_threshold_that_is_not_a_number_from_0_to_1_stops_the_host_and_the_cli_naming_the_key(string verb)
    {
        var error = new StringWriter();
        var code = await CliRunner.RunAsync([verb, "--urls=http://127.0.0.1:0", "--Knowledge:Threshold=0,6", "quên mật khẩu vneid"],
            new StringReader(""), new StringWriter(), error);
        Assert.NotEqual(0, code);
        Assert.Contains("Knowledge:Threshold", error.ToString());
        Assert.Contains("0,6", error.ToString());
        Assert.DoesNotContain("   at ", error.ToString());
    }

    [Theory]
    [InlineData("--Conversation:MaxMessagesPerMinute=0", "Conversation:MaxMessagesPerMinute")]
    [InlineData("--Conversation:FloodWindow=-00:01:00", "Conversation:FloodWindow")]
    public async Task A_bad_flood_limit_stops_with_one_message_naming_the_key(string setting, string key)
    {
        var (code, error) = await Serve(setting);
        Assert.NotEqual(0, code);
        Assert.Contains(key, error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task Unreachable_postgres_stops_with_one_message_naming_the_connection_string()
    {
        var (code, error) = await Serve("--Database:Provider=Postgres",
            "--ConnectionStrings:Bot=Host=127.0.0.1;Port=1;Database=bot;Username=bot;Password=secret-pw;Timeout=3");
        Assert.NotEqual(0, code);
        Assert.Contains("ConnectionStrings:Bot", error);
        Assert.Contains("127.0.0.1:1", error);
        Assert.DoesNotContain("secret-pw", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_names_the_missing_key()
    {
        var (code, error) = await Serve("--Database:Provider=Postgres", "--ConnectionStrings:Bot=");
        Assert.NotEqual(0, code);
        Assert.Contains("ConnectionStrings:Bot", error);
    }

    [Fact]
    public async Task Unwritable_sqlite_path_stops_with_one_message_naming_the_connection_string()
    {
        var file = Path.GetTempFileName(); // a file where a folder is expected: cannot be created by anyone, root included
        try
        {
            var (code, error) = await Serve("--Database:Provider=Sqlite", $"--ConnectionStrings:Bot=Data Source={file}/sub/bot.db");
            Assert.NotEqual(0, code);
            Assert.Contains("ConnectionStrings:Bot", error);
            Assert.DoesNotContain("   at ", error);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public async Task Too_short_admin_api_key_is_refused_by_name()
    {
        var (code, error) = await Serve("--Admin:ApiKeys:0=short");
        Assert.NotEqual(0, code);
        Assert.Contains("Admin:ApiKeys", error);
    }

    [Theory]
    [InlineData("--Telegram:Mode=Fax", "Telegram:Mode")]
    [InlineData("--Broadcasts:QuietHours=nửa đêm", "Broadcasts:QuietHours")]
    [InlineData("--Broadcasts:Senders=0", "Broadcasts:Senders")]
    [InlineData("--Channels:Workers=0", "Channels:Workers")]
    [InlineData("--ZaloBot:Mode=Fax", "ZaloBot:Mode")]
    [InlineData("--ZaloBot:Token=có dấu cách", "ZaloBot:Token")]
    [InlineData("--ZaloBot:Mode=Webhook", "ZaloBot:Token")]
    [InlineData("--ZaloOa:AppId=ứng-dụng", "ZaloOa:AppId")]
    [InlineData("--ZaloOa:AccessToken=abc", "ZaloOa:AppId")]
    public async Task A_bad_setting_stops_start_up_with_one_line_naming_its_key(string setting, string key)
    {
        var (code, error) = await Serve(setting);
        Assert.Equal(3, code);
        Assert.StartsWith($"Lỗi cấu hình {key}: ", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Help_lists_the_verbs()
    {
        var output = new StringWriter();
        Assert.Equal(0, await CliRunner.RunAsync(["--help"], new StringReader(""), output, new StringWriter()));
        foreach (var verb in new[] { "serve", "migrate", "ask", "eval", "import", "bench", "staff" })
            Assert.Contains(verb, output.ToString());
    }

    [Theory]
    [InlineData("import", "--kb")]
    [InlineData("ask", "--top")]
    public async Task A_verb_with_a_missing_option_value_gets_a_clear_message_not_a_stack_trace(string verb, string option)
    {
        var error = new StringWriter();
        var code = await CliRunner.RunAsync([verb, option], new StringReader(""), new StringWriter(), error);
        Assert.Equal(2, code);
        Assert.Contains("Tham số không hợp lệ", error.ToString());
        Assert.DoesNotContain("   at ", error.ToString());
    }

    [Fact]
    public async Task Verb_help_prints_its_usage()
    {
        var output = new StringWriter();
        Assert.Equal(0, await CliRunner.RunAsync(["import", "--help"], new StringReader(""), output, new StringWriter()));
        Assert.Contains("import", output.ToString());
    }
}
