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
        Assert.Equal(3, code);
        Assert.StartsWith("Lỗi cấu hình ConnectionStrings:Bot: ", error);
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
    [InlineData("--Database:Provider=Oracle", "Database:Provider")]
    [InlineData("--ConnectionStrings:Bot=Data Source=bot.db;Colour=blue", "ConnectionStrings:Bot")]
    [InlineData("--Knowledge:Threshold=1.5", "Knowledge:Threshold")]
    [InlineData("--Commune:Hotline=0290 3838 123\nmáy lẻ 2", "Commune:Hotline")]
    [InlineData("--Admin:ApiKeys:0=short", "Admin:ApiKeys")]
    [InlineData("--Admin:ApiKeys=a-key-long-enough-1,short", "Admin:ApiKeys")]
    [InlineData("--Admin:SessionLifetime=00:00:00", "Admin:SessionLifetime")]
    [InlineData("--WebChat:MaxRequestsPerMinutePerIp=0", "WebChat:MaxRequestsPerMinutePerIp")]
    [InlineData("--Http:KnownProxies:0=proxy.local", "Http:KnownProxies")]
    [InlineData("--Conversation:MaxMessagesPerMinute=hai mươi", "Conversation:MaxMessagesPerMinute")]
    [InlineData("--Admin:SessionLifetime=8 giờ", "Admin:SessionLifetime")]
    [InlineData("--Channels:KeepAnsweredDays=7,5", "Channels:KeepAnsweredDays")]
    [InlineData("--Telegram:MaxMessagesPerSecond=ba mươi", "Telegram:MaxMessagesPerSecond")]
    [InlineData("--ZaloOa:MaxEventAge=15 phút", "ZaloOa:MaxEventAge")]
    [InlineData("--Commune:Hotlline=0290 3838 123", "Commune:Hotlline")]
    [InlineData("--Telegram:BotTokn=123:abc", "Telegram:BotTokn")]
    [InlineData("--Knowledge:Treshold=0.7", "Knowledge:Treshold")]
    public async Task A_bad_setting_stops_start_up_with_one_line_naming_its_key(string setting, string key)
    {
        var (code, error) = await Serve(setting);
        Assert.Equal(3, code);
        Assert.StartsWith($"Lỗi cấu hình {key}: ", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("--ZaloOa:FreeWindowHours=0", "ZaloOa:FreeWindowHours")]
    [InlineData("--ZaloOa:MessagesPerWindow=0", "ZaloOa:MessagesPerWindow")]
    [InlineData("--ZaloOa:PromotionEnabled=có", "ZaloOa:PromotionEnabled")]
    [InlineData("--ZaloOa:MaxAttempts=0", "ZaloOa:MaxAttempts")]
    public async Task A_bad_zalo_oa_broadcast_setting_stops_start_up_naming_its_key(string setting, string key)
    {
        var (code, error) = await Serve("--ZaloOa:AppId=2553928453557884079", "--ZaloOa:OaSecretKey=oa-secret", "--ZaloOa:AccessToken=access",
            "--ZaloOa:RefreshToken=refresh", "--ZaloOa:AppSecret=app-secret", setting);
        Assert.Equal(3, code);
        Assert.StartsWith($"Lỗi cấu hình {key}: ", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Telegram_webhook_connections_beyond_what_telegram_accepts_stop_start_up()
    {
        var (code, error) = await Serve("--Telegram:BotToken=123456:abc-DEF", "--Telegram:WebhookMaxConnections=101");
        Assert.Equal(3, code);
        Assert.StartsWith("Lỗi cấu hình Telegram:WebhookMaxConnections: ", error);
    }

    /// <summary>The verbs that run without the web host read the same options types and fail with the same line.</summary>
    [Theory]
    [InlineData("Database:Provider", "migrate", "--Database:Provider=Oracle")]
    [InlineData("ConnectionStrings:Bot", "migrate", "--status", "--Database:Provider=Postgres", "--ConnectionStrings:Bot=")]
    [InlineData("ConnectionStrings:Bot", "staff", "list", "--ConnectionStrings:Bot=Data Source=bot.db;Colour=blue")]
    [InlineData("Knowledge:Threshold", "ask", "--Knowledge:Threshold=cao", "quên mật khẩu vneid")]
    [InlineData("Knowledge:Threshold", "eval", "--Knowledge:Threshold=-0.1", "evaluation.tsv")]
    [InlineData("Commune:Name", "ask", "--Commune:Name=xã\tVĩnh Phong", "quên mật khẩu vneid")]
    [InlineData("Database:Provder", "migrate", "--Database:Provder=Postgres")]
    public async Task A_bad_setting_stops_a_cli_verb_with_exit_code_3_and_one_line_naming_its_key(string key, params string[] args)
    {
        var error = new StringWriter();
        var output = new StringWriter();
        var code = await CliRunner.RunAsync(args, new StringReader(""), output, error);
        Assert.Equal(3, code);
        Assert.StartsWith($"Lỗi cấu hình {key}: ", error.ToString());
        Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public async Task A_commune_fact_too_long_for_an_answer_stops_start_up_naming_its_key()
    {
        var (code, error) = await Serve($"--Commune:Address={new string('x', 201)}");
        Assert.Equal(3, code);
        Assert.StartsWith("Lỗi cấu hình Commune:Address: ", error);
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
