using System.Text;
using Bot.KnowledgeStore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Bot.Storage;

/// <summary>The bot's database. The schema is owned by <see cref="Migrations.SchemaMigrator"/>, not by EF Core.</summary>
public sealed class BotDbContext(DbContextOptions<BotDbContext> options) : DbContext(options)
{
    public DbSet<Resident> Residents => Set<Resident>();
    public DbSet<InboundUpdate> InboundUpdates => Set<InboundUpdate>();
    public DbSet<ConversationTurn> ConversationTurns => Set<ConversationTurn>();
    public DbSet<Handover> Handovers => Set<Handover>();
    public DbSet<StaffAccount> StaffAccounts => Set<StaffAccount>();
    public DbSet<StaffSession> StaffSessions => Set<StaffSession>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Broadcast> Broadcasts => Set<Broadcast>();
    public DbSet<BroadcastDelivery> BroadcastDeliveries => Set<BroadcastDelivery>();
    public DbSet<FaqTopicRecord> FaqTopics => Set<FaqTopicRecord>();
    public DbSet<FaqEntryRecord> FaqEntries => Set<FaqEntryRecord>();
    public DbSet<FaqRevision> FaqRevisions => Set<FaqRevision>();
    public DbSet<KnowledgeDocumentRecord> KnowledgeDocuments => Set<KnowledgeDocumentRecord>();
    public DbSet<KnowledgeState> KnowledgeStates => Set<KnowledgeState>();
    public DbSet<ZaloOaToken> ZaloOaTokens => Set<ZaloOaToken>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Resident>().HasIndex(r => new { r.Channel, r.PlatformUserId }).IsUnique();
        model.Entity<InboundUpdate>().HasIndex(u => new { u.Channel, u.UpdateId }).IsUnique();
        model.Entity<StaffAccount>().HasIndex(s => s.UserName).IsUnique();
        model.Entity<BroadcastDelivery>().HasIndex(d => new { d.BroadcastId, d.ResidentId }).IsUnique();
        model.Entity<ZaloOaToken>().Property(t => t.Id).ValueGeneratedNever();

        var sqlite = Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";
        foreach (var entity in model.Model.GetEntityTypes())
        {
            entity.SetTableName(SnakeCase(entity.ClrType.Name) + "s");
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
                // SQLite cannot compare or order DateTimeOffset stored as text; store UTC ticks instead.
                if (sqlite && (property.ClrType == typeof(DateTimeOffset) || property.ClrType == typeof(DateTimeOffset?)))
                    property.SetValueConverter(StoredTimestamps.SqliteConverter);
            }
        }
        model.Entity<AuditEntry>().ToTable("audit_log");
        model.Entity<ConversationTurn>().ToTable("conversation_log");
        model.Entity<Handover>().ToTable("handovers");
        model.Entity<BroadcastDelivery>().ToTable("broadcast_deliveries");
        model.Entity<FaqTopicRecord>().ToTable("faq_topics");
        model.Entity<FaqEntryRecord>().ToTable("faq_entries");
        model.Entity<KnowledgeDocumentRecord>().ToTable("knowledge_documents");
        model.Entity<KnowledgeState>().ToTable("knowledge_state");
        model.Entity<KnowledgeState>().Property(s => s.Id).ValueGeneratedNever();
        model.Entity<KnowledgeState>().Property(s => s.Revision).IsConcurrencyToken();
        model.Entity<FaqEntryRecord>().Property(e => e.Version).IsConcurrencyToken();
    }

    internal static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
