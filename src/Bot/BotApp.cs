using Bot.Ai;
using Bot.Admin;
using Bot.Admin.Console;
using Bot.Broadcasts;
using Bot.Channels;
using Bot.Channels.Telegram;
using Bot.Channels.WebChat;
using Bot.Channels.ZaloBot;
using Bot.Channels.ZaloOa;
using Bot.Conversation;
using Bot.Health;
using Bot.Http;
using Bot.Privacy;
using Bot.Storage;
using Microsoft.Extensions.Options;

namespace Bot;

/// <summary>Composes the web host: storage, knowledge, channels, admin, web chat.</summary>
public static class BotApp
{
    public static async Task<WebApplication> BuildAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddSources(args);
        builder.Logging.StripControlCharacters();
        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = 1024 * 1024);

        builder.Services.AddBotStorage();
        builder.Services.AddSharedOptions();
        builder.Services.AddOpenApi();
        Problems.Register(builder.Services);
        HttpOptions.Register(builder.Services);
        builder.Services.AddStaffAuthentication();
        builder.Services.AddStaffConsole();
        builder.Services.AddSingleton<CommuneFacts>();
        builder.Services.AddSingleton<KnowledgeProvider>();
        builder.Services.AddHostedService<KnowledgeSync>();
        builder.Services.AddScoped<Residents>();
        builder.Services.AddScoped<QuestionAnswerer>();
        builder.Services.AddAi();
        builder.Services.AddScoped<ConversationFlow>();
        builder.Services.AddSingleton<FloodLimiter>();
        builder.Services.AddHostedService<HandoverDeliveryWorker>();
        builder.Services.AddWebChat();
        builder.Services.AddValidatedOptions<ChannelOptions, ChannelOptionsValidator>(ChannelOptions.Section);
        builder.Services.AddValidatedOptions<ConversationOptions, ConversationOptionsValidator>(ConversationOptions.Section);
        builder.Services.AddSingleton<InboundUpdates>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InboundUpdates>());
        TelegramChannel.Register(builder.Services, builder.Configuration);
        ZaloBotChannel.Register(builder.Services, builder.Configuration);
        ZaloOaChannel.Register(builder.Services, builder.Configuration);
        builder.Services.AddBroadcasts();

        var app = builder.Build();
        // Every options section is checked before anything is opened: a bad setting stops start-up by its key.
        app.Services.GetService<IStartupValidator>()?.Validate();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Bot");
        logger.LogInformation("Database: {Database}", app.Services.GetRequiredService<DatabaseOptions>().Describe());
        await StorageSetup.PrepareDatabaseAsync(app.Services, app.Lifetime.ApplicationStopping);
        await app.Services.GetRequiredService<KnowledgeProvider>().LoadAsync(app.Lifetime.ApplicationStopping); // a broken knowledge base stops start-up

        HttpOptions.Use(app);
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseStaffConsolePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapOpenApi().RequireAuthorization(Admin.StaffAuthentication.Policy);
        app.MapHealth();
        app.MapStaffAuth();
        app.MapWebChat();
        app.MapHandovers();
        app.MapStaffConsole();
        app.MapTelegramWebhook();
        app.MapZaloBotWebhook();
        app.MapZaloOaWebhook();
        app.MapChannelStatus();
        app.MapBroadcasts();
        return app;
    }
}
