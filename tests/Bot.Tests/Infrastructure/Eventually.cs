namespace Bot.Tests.Infrastructure;

/// <summary>Waits for what a background worker does: the condition is polled every 100 ms for up to 30 s.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail("condition not reached in 30 s");
    }
}
