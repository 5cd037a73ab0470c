namespace Bot.Ai;

public static class AiSetup
{
    /// <summary>The Ai section and the services that use it; with Ai:Enabled false they send nothing anywhere.</summary>
    public static IServiceCollection AddAi(this IServiceCollection services)
    {
        services.AddValidatedOptions<AiOptions, AiOptionsValidator>(AiOptions.Section);
        services.AddSingleton<AiChat>();
        services.AddScoped<AiUsage>();
        services.AddScoped<AiComposer>();
        return services.AddScoped<FollowUps>();
    }
}
