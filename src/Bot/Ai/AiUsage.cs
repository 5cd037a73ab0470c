using Bot.Broadcasts;
using Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Ai;

/// <summary>
/// The model's use per day (Asia/Ho_Chi_Minh) in the database, shared by every node: calls, failures, tokens and
/// total latency. The daily budget is read from it before each call.
/// </summary>
public sealed class AiUsage(BotDbContext db, GroupCommit writes, AiOptions options)
{
    public static string Today(DateTimeOffset now) => VietnamTime.ToLocal(now).ToString("yyyy-MM-dd");

    public async Task<long> TokensSpentAsync(string day, CancellationToken ct) =>
        await db.Database.SqlQuery<long>($"SELECT CAST(COALESCE(SUM(prompt_tokens + completion_tokens), 0) AS BIGINT) AS \"Value\" FROM ai_usage WHERE day = {day}")
            .SingleAsync(ct);

    public async Task<bool> HasBudgetAsync(CancellationToken ct) =>
        await TokensSpentAsync(Today(DateTimeOffset.UtcNow), ct) < options.DailyTokenBudget;

    public Task RecordAsync(long promptTokens, long completionTokens, long latencyMs, bool failed)
    {
        var day = Today(DateTimeOffset.UtcNow);
        long failures = failed ? 1 : 0;
        return writes.ExecuteAsync($"""
            INSERT INTO ai_usage (day, calls, failures, prompt_tokens, completion_tokens, latency_ms)
            VALUES ({day}, 1, {failures}, {promptTokens}, {completionTokens}, {latencyMs})
            ON CONFLICT (day) DO UPDATE SET calls = ai_usage.calls + 1, failures = ai_usage.failures + excluded.failures,
                prompt_tokens = ai_usage.prompt_tokens + excluded.prompt_tokens,
                completion_tokens = ai_usage.completion_tokens + excluded.completion_tokens,
                latency_ms = ai_usage.latency_ms + excluded.latency_ms
            """);
    }
}
