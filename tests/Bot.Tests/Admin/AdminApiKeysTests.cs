using Bot.Admin;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Admin;

/// <summary>Admin:ApiKeys read from a real configuration, in each form an operator may write it.</summary>
public sealed class AdminApiKeysTests
{
    private const string First = "khoa-thu-nhat-0123456789";
    private const string Second = "khoa-thu-hai-0123456789";

    private static AdminApiKeys Keys(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddAdminOptions()
            .AddSingleton<AdminApiKeys>()
            .BuildServiceProvider();
        return services.GetRequiredService<AdminApiKeys>();
    }

    public static TheoryData<(string, string)[]> BothKeys => new()
    {
        new[] { ("Admin:ApiKeys:0", First), ("Admin:ApiKeys:1", Second) },
        new[] { ("Admin:ApiKeys", $"{First},{Second}") },
        new[] { ("Admin:ApiKeys", $" {First} ; {Second} ,") },
        // appsettings.json's "ApiKeys": [] is an empty value next to the array given on the command line.
        new[] { ("Admin:ApiKeys", ""), ("Admin:ApiKeys:0", First), ("Admin:ApiKeys:1", Second) },
    };

    [Theory, MemberData(nameof(BothKeys))]
    public void An_array_and_a_comma_or_semicolon_list_give_the_same_keys((string, string)[] settings)
    {
        var keys = Keys(settings);
        Assert.Equal(0, keys.Match(First));
        Assert.Equal(1, keys.Match(Second));
        Assert.Equal(-1, keys.Match(First + Second));
        Assert.Equal(-1, keys.Match(""));
    }

    [Fact]
    public void No_keys_match_nothing()
    {
        var keys = Keys(("Admin:ApiKeys", ""));
        Assert.Equal(-1, keys.Match(""));
        Assert.Equal(-1, keys.Match(First));
    }
}
