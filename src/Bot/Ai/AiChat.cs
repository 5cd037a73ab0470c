using System.Diagnostics;
using System.Net;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Bot.Ai;

/// <summary>
/// One chat completion through Semantic Kernel's OpenAI connector, inside a Polly pipeline: a circuit breaker around
/// a time-out that covers the retries. Any failure, an open circuit or a spent budget gives null, and the caller
/// keeps the retrieval answer. Token use and latency are logged and counted per day; the texts never are.
/// </summary>
public sealed class AiChat : IDisposable
{
    private readonly AiOptions options;
    private readonly ILogger<AiChat> logger;
    private readonly HttpClient http;
    private readonly IChatCompletionService? chat;
    private readonly ResiliencePipeline pipeline;

    public AiChat(AiOptions options, ILogger<AiChat> logger)
    {
        this.options = options;
        this.logger = logger;
        // The pipeline's time-out governs; with its own HttpClient the connector also leaves retries to the pipeline.
        http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        if (options.Enabled)
            chat = Kernel.CreateBuilder()
                .AddOpenAIChatCompletion(options.Model, new Uri(options.Endpoint), options.ApiKey.Length > 0 ? options.ApiKey : "none", httpClient: http)
                .Build().GetRequiredService<IChatCompletionService>();
        pipeline = new ResiliencePipelineBuilder()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromMinutes(1),
                BreakDuration = TimeSpan.FromSeconds(30),
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
            })
            .AddTimeout(TimeSpan.FromSeconds(options.TimeoutSeconds))
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = 1,
                Delay = TimeSpan.FromMilliseconds(200),
                ShouldHandle = new PredicateBuilder()
                    .Handle<HttpOperationException>(e => e.StatusCode is null or HttpStatusCode.TooManyRequests || (int)e.StatusCode >= 500)
                    .Handle<HttpRequestException>(),
            })
            .Build();
    }

    public bool Enabled => chat is not null;

    /// <summary>The model's reply to system + user, or null (off, budget spent, failed, timed out, circuit open).</summary>
    public async Task<string?> CompleteAsync(string purpose, string system, string user, AiUsage usage, CancellationToken ct)
    {
        if (chat is null) return null;
        var history = new ChatHistory();
        history.AddSystemMessage(system);
        history.AddUserMessage(user);
        var settings = new OpenAIPromptExecutionSettings { Temperature = 0.1, MaxTokens = 500 };
        var watch = Stopwatch.StartNew();
        try
        {
            if (!await usage.HasBudgetAsync(ct))
            {
                logger.LogWarning("AI {Purpose}: daily token budget {Budget} spent, answering from retrieval", purpose, options.DailyTokenBudget);
                return null;
            }
            var reply = await pipeline.ExecuteAsync(
                async token => await chat.GetChatMessageContentAsync(history, settings, cancellationToken: token), ct);
            var (prompt, completion) = Tokens(reply, system.Length + user.Length);
            logger.LogInformation("AI {Purpose}: {PromptTokens}+{CompletionTokens} tokens in {LatencyMs} ms",
                purpose, prompt, completion, watch.ElapsedMilliseconds);
            await usage.RecordAsync(prompt, completion, watch.ElapsedMilliseconds, failed: false);
            return reply.Content;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning("AI {Purpose} failed after {LatencyMs} ms ({Failure}), answering from retrieval",
                purpose, watch.ElapsedMilliseconds, Failure(e));
            await RecordFailureAsync(usage, watch.ElapsedMilliseconds);
            return null;
        }
    }

    // The counters must not turn a fallback into an error: a failure to count one is logged only.
    private async Task RecordFailureAsync(AiUsage usage, long latencyMs)
    {
        try
        {
            await usage.RecordAsync(0, 0, latencyMs, failed: true);
        }
        catch (Exception e)
        {
            logger.LogWarning("AI usage not counted ({Failure})", e.GetType().Name);
        }
    }

    // An endpoint that reports no usage is counted at about four characters a token, so the budget still holds.
    private static (long Prompt, long Completion) Tokens(ChatMessageContent reply, int promptChars) =>
        reply.Metadata?.GetValueOrDefault("Usage") is OpenAI.Chat.ChatTokenUsage usage
            ? (usage.InputTokenCount, usage.OutputTokenCount)
            : (promptChars / 4 + 1, (reply.Content?.Length ?? 0) / 4 + 1);

    // The kind of failure only: an exception's message may quote the endpoint's reply.
    private static string Failure(Exception e) => e switch
    {
        TimeoutRejectedException => "time-out",
        BrokenCircuitException => "circuit open",
        HttpOperationException { StatusCode: { } status } => $"HTTP {(int)status}",
        _ => e.GetType().Name,
    };

    public void Dispose() => http.Dispose();
}
