namespace Bot.Tests.Infrastructure;

public static class Eventually
{
    /// <summary>Polls until the condition holds; fails after a generous 30 s (this is not a timing assertion).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"condition not reached in {seconds} s");
            await Task.Delay(100);
        }
    }
}
