using Bot.Admin;
using Bot.Storage;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Dashboard;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Broadcasts;

/// <summary>
/// Broadcasts: Hangfire on durable storage (<see cref="BroadcastJobStorage"/>: shared by every node on PostgreSQL) runs
/// the campaign calendar and scheduled starts; the delivery worker sends; the staff API and Hangfire's dashboard.
/// </summary>
public static class BroadcastSetup
{
    public static IServiceCollection AddBroadcasts(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<BroadcastOptions, BroadcastOptionsValidator>(BroadcastOptions.Section);
        services.AddSingleton(sp => new BroadcastChannels(sp.GetServices<IBroadcastChannel>().Select(c => c.Channel).ToList()));
        services.AddSingleton(BroadcastNode.ForThisProcess());
        services.AddSingleton<BroadcastDatabase>();
        services.AddSingleton<BroadcastText>();
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<DeliveryLedger>();
        services.AddSingleton<BroadcastOutbox>();
        services.AddScoped<BroadcastPlanner>();

        // Storage and activator belong to this host, not to Hangfire's process-wide defaults: two hosts in one process
        // (tests, benchmarks) each keep their own jobs.
        services.AddSingleton(sp => BroadcastJobStorage.Create(sp.GetRequiredService<DatabaseOptions>()));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(c => c.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings().UseLogProvider(HangfireLogging.ProcessWide));
        // Before the Hangfire server: started first, stopped after it.
        services.AddHostedService<HangfireLogging>();
        services.AddHangfireServer((sp, o) =>
        {
            o.ServerName = sp.GetRequiredService<BroadcastNode>().Id;
            o.WorkerCount = 2; // starting a broadcast or storing an occurrence takes milliseconds; senders do the work
            o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
        });
        services.AddHostedService<ScheduledBroadcastRecovery>();
        services.AddSingleton<CampaignScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<CampaignScheduler>());
        services.AddHostedService<DeliveryWorker>();
        return services;
    }

    public const string DashboardPath = "/hangfire";

    public static void MapBroadcasts(this WebApplication app)
    {
        app.MapBroadcastEndpoints();
        // Admin staff only, through the same sign-in as the staff API (key or session): 401 anonymous, 403 other staff.
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [],
            DashboardTitle = "Lịch gửi tin",
            DisplayStorageConnectionString = false,
            AppPath = "/",
        }, app.Services.GetRequiredService<JobStorage>()).RequireAuthorization(StaffAuthentication.AdminPolicy);
    }
}
