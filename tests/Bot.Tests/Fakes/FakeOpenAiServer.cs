using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Tests.Fakes;

/// <summary>What the stand-in answers to one chat completion: the assistant's text after a delay, or an HTTP error.</summary>
public sealed record ScriptedReply(string Content, TimeSpan Delay = default, int Status = 200)
{
    public static ScriptedReply Error(int status) => new("", default, status);
}

/// <summary>
/// A real HTTP server on 127.0.0.1 speaking the OpenAI chat completions API (POST /v1/chat/completions, Bearer key,
/// {"model", "messages"} in, {"id", "object": "chat.completion", "choices", "usage"} out): point Ai:Endpoint at
/// <see cref="Endpoint"/>. It records every request body and answers with the scripted replies in order; with none
/// left it answers 503, so a call nobody expected shows up as a failure, never as an answer.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    public const string ApiKey = "sk-test-0123456789";

    private readonly Lock sync = new();
    private readonly List<JsonObject> requests = [];
    private readonly Queue<ScriptedReply> script = [];
    private WebApplication app = null!;
    private int nextId;

    /// <summary>The OpenAI-compatible base URL ("…/v1").</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>Every request body received on the chat completions route, in order.</summary>
    public IReadOnlyList<JsonObject> Requests { get { lock (sync) return [.. requests]; } }

    /// <summary>Every message text of every request, for assertions on what left the server.</summary>
    public IEnumerable<string> SentTexts => Requests.SelectMany(r => r["messages"]!.AsArray())
        .Select(m => m!["content"]!.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? m["content"]!.GetValue<string>()
            : m["content"]!.ToJsonString());

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        var server = new FakeOpenAiServer();
        string baseUrl;
        (server.app, baseUrl) = await LoopbackServer.StartAsync(server.HandleAsync);
        server.Endpoint = baseUrl.TrimEnd('/') + "/v1";
        return server;
    }

    /// <summary>The bot's settings that turn Ai on against this stand-in.</summary>
    public string[] Settings(int timeoutSeconds = 5, long budget = 200_000) =>
    [
        "--Ai:Enabled=true", $"--Ai:Endpoint={Endpoint}", $"--Ai:ApiKey={ApiKey}", "--Ai:Model=test-model",
        $"--Ai:TimeoutSeconds={timeoutSeconds}", $"--Ai:DailyTokenBudget={budget}",
    ];

    public void Script(params ScriptedReply[] replies)
    {
        lock (sync) foreach (var reply in replies) script.Enqueue(reply);
    }

    public void Script(params string[] contents) => Script(contents.Select(c => new ScriptedReply(c)).ToArray());

    private async Task HandleAsync(HttpContext http)
    {
        if (http.Request.Method != "POST" || http.Request.Path != "/v1/chat/completions")
        {
            http.Response.StatusCode = 404;
            return;
        }
        if (http.Request.Headers.Authorization.ToString() != $"Bearer {ApiKey}")
        {
            await ErrorAsync(http, 401, "invalid_api_key");
            return;
        }
        var body = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
        ScriptedReply? reply;
        int id;
        lock (sync)
        {
            requests.Add(body);
            script.TryDequeue(out reply);
            id = ++nextId;
        }
        if (reply is null)
        {
            await ErrorAsync(http, 503, "no_scripted_reply");
            return;
        }
        if (reply.Delay > TimeSpan.Zero)
        {
            try { await Task.Delay(reply.Delay, http.RequestAborted); }
            catch (OperationCanceledException) { return; }
        }
        if (reply.Status != 200)
        {
            await ErrorAsync(http, reply.Status, "scripted_error");
            return;
        }
        var promptChars = body["messages"]!.AsArray().Sum(m => m!["content"]?.ToString().Length ?? 0);
        var promptTokens = promptChars / 4 + 1;
        var completionTokens = reply.Content.Length / 4 + 1;
        var response = new JsonObject
        {
            ["id"] = $"chatcmpl-{id}",
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = body["model"]?.GetValue<string>(),
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply.Content },
                ["logprobs"] = null,
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = promptTokens,
                ["completion_tokens"] = completionTokens,
                ["total_tokens"] = promptTokens + completionTokens,
            },
        };
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(response.ToJsonString());
    }

    private static async Task ErrorAsync(HttpContext http, int status, string code)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = code, ["type"] = "invalid_request_error", ["code"] = code },
        }.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
