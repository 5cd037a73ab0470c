namespace Bot.Storage.Migrations;

/// <summary>Every schema version in order. Append new steps; never edit a released one.</summary>
public static class SchemaHistory
{
    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "residents, inbound updates, conversation log", """
            CREATE TABLE residents (
                id {id},
                channel TEXT NOT NULL,
                platform_user_id TEXT NOT NULL,
                chat_id TEXT NOT NULL,
                display_name TEXT NULL,
                subscribed {bool} NOT NULL DEFAULT {false},
                consent_at {ts} NULL,
                topics TEXT NOT NULL DEFAULT '',
                blocked {bool} NOT NULL DEFAULT {false},
                blocked_at {ts} NULL,
                created_at {ts} NOT NULL,
                last_seen_at {ts} NOT NULL
            );
            CREATE UNIQUE INDEX ix_residents_channel_user ON residents (channel, platform_user_id);

            CREATE TABLE inbound_updates (
                id {id},
                channel TEXT NOT NULL,
                update_id TEXT NOT NULL,
                payload TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT NULL,
                received_at {ts} NOT NULL,
                processed_at {ts} NULL
            );
            CREATE UNIQUE INDEX ix_inbound_updates_channel_update ON inbound_updates (channel, update_id);
            CREATE INDEX ix_inbound_updates_status ON inbound_updates (status, id);

            CREATE TABLE conversation_log (
                id {id},
                resident_id {long} NULL REFERENCES residents (id),
                channel TEXT NOT NULL,
                question TEXT NOT NULL,
                faq_id TEXT NULL,
                citation TEXT NULL,
                score {real} NOT NULL,
                answered {bool} NOT NULL,
                feedback INTEGER NULL,
                feedback_at {ts} NULL,
                created_at {ts} NOT NULL
            );
            CREATE INDEX ix_conversation_log_created ON conversation_log (created_at);
            """),
        new(2, "handover queue, staff accounts, audit log", """
            ALTER TABLE conversation_log ADD COLUMN handed_over {bool} NOT NULL DEFAULT {false};
            UPDATE conversation_log SET handed_over = {true} WHERE answered = {false};

            CREATE TABLE handovers (
                id {id},
                turn_id {long} NULL REFERENCES conversation_log (id),
                resident_id {long} NULL REFERENCES residents (id),
                channel TEXT NOT NULL,
                question TEXT NOT NULL,
                status TEXT NOT NULL,
                staff_reply TEXT NULL,
                replied_by TEXT NULL,
                replied_at {ts} NULL,
                delivered_at {ts} NULL,
                created_at {ts} NOT NULL
            );
            CREATE INDEX ix_handovers_status ON handovers (status, created_at);

            CREATE TABLE staff_accounts (
                id {id},
                user_name TEXT NOT NULL,
                display_name TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                role TEXT NOT NULL,
                disabled {bool} NOT NULL DEFAULT {false},
                created_at {ts} NOT NULL
            );
            CREATE UNIQUE INDEX ix_staff_accounts_user_name ON staff_accounts (user_name);

            CREATE TABLE audit_log (
                id {id},
                at {ts} NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NULL,
                detail TEXT NULL
            );
            CREATE INDEX ix_audit_log_at ON audit_log (at);

            CREATE TABLE data_protection_keys (
                id {id},
                friendly_name TEXT NOT NULL,
                xml TEXT NOT NULL
            );
            """),
        new(3, "inbound update claims for crash recovery", """
            ALTER TABLE inbound_updates ADD COLUMN claimed_at {ts} NULL;
            """),
        new(4, "broadcasts and their per-recipient outbox", """
            CREATE TABLE broadcasts (
                id {id},
                campaign_key TEXT NULL,
                title TEXT NULL,
                text TEXT NOT NULL,
                channel_texts TEXT NULL,
                topic TEXT NULL,
                channel TEXT NULL,
                send_at {ts} NOT NULL,
                status TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at {ts} NOT NULL,
                started_at {ts} NULL,
                finished_at {ts} NULL
            );
            CREATE UNIQUE INDEX ix_broadcasts_campaign_key ON broadcasts (campaign_key);
            CREATE INDEX ix_broadcasts_status ON broadcasts (status);

            CREATE TABLE broadcast_deliveries (
                id {id},
                broadcast_id {long} NOT NULL REFERENCES broadcasts (id),
                resident_id {long} NOT NULL REFERENCES residents (id),
                channel TEXT NOT NULL,
                chat_id TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                node TEXT NULL,
                claimed_at {ts} NULL,
                finished_at {ts} NULL,
                error TEXT NULL
            );
            CREATE UNIQUE INDEX ix_broadcast_deliveries_broadcast_resident ON broadcast_deliveries (broadcast_id, resident_id);
            CREATE INDEX ix_broadcast_deliveries_status ON broadcast_deliveries (broadcast_id, status, id);

            CREATE TABLE broadcast_nodes (
                node TEXT NOT NULL PRIMARY KEY,
                seen_at {ts} NOT NULL
            );
            """),
        // Hangfire keeps the schedule now (its own file on SQLite, the hangfire schema on PostgreSQL): Quartz's tables go,
        // children before parents. Broadcasts it had scheduled are planned again at start-up (ScheduledBroadcastRecovery).
        new(5, "drop the Quartz job store", """
            DROP TABLE IF EXISTS qrtz_fired_triggers;
            DROP TABLE IF EXISTS qrtz_paused_trigger_grps;
            DROP TABLE IF EXISTS qrtz_scheduler_state;
            DROP TABLE IF EXISTS qrtz_locks;
            DROP TABLE IF EXISTS qrtz_simple_triggers;
            DROP TABLE IF EXISTS qrtz_simprop_triggers;
            DROP TABLE IF EXISTS qrtz_cron_triggers;
            DROP TABLE IF EXISTS qrtz_blob_triggers;
            DROP TABLE IF EXISTS qrtz_triggers;
            DROP TABLE IF EXISTS qrtz_job_details;
            DROP TABLE IF EXISTS qrtz_calendars;
            """),
        new(6, "knowledge base store shared by every node: FAQ entries with history, documents, revision counter", """
            CREATE TABLE faq_topics (
                id TEXT NOT NULL PRIMARY KEY,
                title TEXT NOT NULL,
                position INTEGER NOT NULL
            );

            CREATE TABLE faq_entries (
                id TEXT NOT NULL PRIMARY KEY,
                topic TEXT NOT NULL,
                content TEXT NOT NULL,
                shipped_content TEXT NULL,
                retired {bool} NOT NULL DEFAULT {false},
                needs_review {bool} NOT NULL DEFAULT {false},
                version INTEGER NOT NULL,
                updated_at {ts} NOT NULL,
                updated_by TEXT NOT NULL
            );
            CREATE INDEX ix_faq_entries_topic ON faq_entries (topic);

            CREATE TABLE faq_revisions (
                id {id},
                entry_id TEXT NOT NULL,
                at {ts} NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                before TEXT NULL,
                after TEXT NULL
            );
            CREATE INDEX ix_faq_revisions_entry ON faq_revisions (entry_id, id);

            CREATE TABLE knowledge_documents (
                id {id},
                file_name TEXT NOT NULL,
                content TEXT NOT NULL,
                size_bytes {long} NOT NULL,
                uploaded_by TEXT NOT NULL,
                uploaded_at {ts} NOT NULL
            );
            CREATE UNIQUE INDEX ix_knowledge_documents_file_name ON knowledge_documents (file_name);

            CREATE TABLE knowledge_state (
                id INTEGER NOT NULL PRIMARY KEY,
                revision {long} NOT NULL
            );
            INSERT INTO knowledge_state (id, revision) VALUES (1, 0);
            """),
        new(7, "revocable staff sessions", """
            CREATE TABLE staff_sessions (
                id TEXT NOT NULL PRIMARY KEY,
                staff_account_id {long} NOT NULL REFERENCES staff_accounts (id),
                created_at {ts} NOT NULL,
                expires_at {ts} NOT NULL,
                revoked_at {ts} NULL
            );
            CREATE INDEX ix_staff_sessions_account ON staff_sessions (staff_account_id);
            """),
        new(8, "personal data from before masking at rest: failed updates emptied, client-chosen web session ids replaced", """
            UPDATE inbound_updates SET payload = '' WHERE status = 'failed';
            UPDATE residents SET platform_user_id = 'legacy-' || CAST(id AS TEXT), chat_id = 'legacy-' || CAST(id AS TEXT) WHERE channel = 'web';
            """),
        new(9, "numbered choices last offered to a resident (channels without buttons)", """
            ALTER TABLE residents ADD COLUMN offered_choices TEXT NULL;
            """),
        new(10, "the Zalo OA token pair, refreshed by one node at a time", """
            CREATE TABLE zalo_oa_tokens (
                id {long} NOT NULL PRIMARY KEY,
                access_token TEXT NOT NULL,
                refresh_token TEXT NOT NULL,
                access_expires_at {ts} NOT NULL,
                refresh_expires_at {ts} NOT NULL,
                refreshing_until {ts} NULL,
                updated_at {ts} NOT NULL
            );
            """),
        new(11, "Zalo OA free window: each resident's last message and the consultation messages sent since; token refresh failures", """
            ALTER TABLE residents ADD COLUMN last_inbound_at {ts} NULL;
            ALTER TABLE residents ADD COLUMN window_messages INTEGER NOT NULL DEFAULT 0;
            UPDATE residents SET last_inbound_at = last_seen_at;
            ALTER TABLE zalo_oa_tokens ADD COLUMN refresh_failed_at {ts} NULL;
            ALTER TABLE zalo_oa_tokens ADD COLUMN refresh_error TEXT NULL;
            """),
        new(12, "analytics: indexes that let the dashboard read a year of the conversation log and broadcasts without sorting it", """
            CREATE INDEX ix_conversation_log_day ON conversation_log ((((created_at >> 11) + 252000000) / 864000000), channel, answered, handed_over, feedback, faq_id, created_at);
            CREATE INDEX ix_conversation_log_resident ON conversation_log (resident_id, created_at);
            CREATE INDEX ix_conversation_log_entry ON conversation_log (faq_id, created_at, feedback);
            CREATE INDEX ix_conversation_log_unanswered ON conversation_log (question, created_at) WHERE answered = {false};
            CREATE INDEX ix_broadcast_deliveries_resident ON broadcast_deliveries (resident_id, broadcast_id);
            """, PostgresSql: """
            CREATE INDEX ix_conversation_log_resident ON conversation_log (resident_id, created_at);
            CREATE INDEX ix_conversation_log_entry ON conversation_log (faq_id, created_at, feedback);
            CREATE INDEX ix_conversation_log_unanswered ON conversation_log (question, created_at) WHERE answered = {false};
            CREATE INDEX ix_broadcast_deliveries_resident ON broadcast_deliveries (resident_id, broadcast_id);
            """),
        new(13, "AI model use per day (Asia/Ho_Chi_Minh), read by the daily budget", """
            CREATE TABLE ai_usage (
                day TEXT NOT NULL PRIMARY KEY,
                calls {long} NOT NULL DEFAULT 0,
                failures {long} NOT NULL DEFAULT 0,
                prompt_tokens {long} NOT NULL DEFAULT 0,
                completion_tokens {long} NOT NULL DEFAULT 0,
                latency_ms {long} NOT NULL DEFAULT 0
            );
            """),
    ];
}
