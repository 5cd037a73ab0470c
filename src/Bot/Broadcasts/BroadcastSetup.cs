using Bot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Quartz;

namespace Bot.Broadcasts;

/// <summary>
/// Broadcasts: Quartz on a persistent job store in the bot's own database (it creates its tables itself; clustered on
/// PostgreSQL so several nodes share one schedule), the campaign calendar, the delivery worker and the staff API.
/// </summary>
public static class BroadcastSetup
{
    public static IServiceCollection AddBroadcasts(this IServiceCollection services, IConfiguration configuration)
    {
        var database = DatabaseOptions.FromConfiguration(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(BroadcastOptions.FromConfiguration(configuration));
        services.AddSingleton(BroadcastChannels.FromConfiguration(configuration));
        services.AddSingleton(BroadcastNode.ForThisProcess());
        services.AddSingleton<BroadcastDatabase>();
        services.AddSingleton<BroadcastText>();
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<DeliveryLedger>();
        services.AddSingleton<BroadcastOutbox>();
        services.AddScoped<BroadcastPlanner>();

        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(s => s.InstanceName = "commune-bot");
            quartz.UsePersistentStore(store =>
            {
                store.ProvisionSchema();
                if (database.Provider == DatabaseProvider.Postgres)
                {
                    store.UsePostgres(NpgsqlFactory.Instance, database.ConnectionString);
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = TimeSpan.FromSeconds(5);
                        c.CheckinMisfireThreshold = TimeSpan.FromSeconds(15);
                    });
                }
                else store.UseSqlite(SqliteFactory.Instance, database.ConnectionString);
            });
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddSingleton<CampaignScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<CampaignScheduler>());
        services.AddHostedService<DeliveryWorker>();
        return services;
    }

    public static void MapBroadcasts(this WebApplication app) => app.MapBroadcastEndpoints();
}
