using Microsoft.Extensions.Options;

namespace Bot.Ai;

/// <summary>
/// The "Ai" section: an optional OpenAI-compatible model that rewrites follow-ups and words answers from what
/// retrieval found. Off by default; off means nothing is sent anywhere.
/// </summary>
public sealed class AiOptions
{
    public const string Section = "Ai";

    public bool Enabled { get; set; }

    /// <summary>The OpenAI-compatible base URL, up to and including the version ("https://host/v1").</summary>
    public string Endpoint { get; set; } = "";

    public string ApiKey { get; set; } = "";

    public string Model { get; set; } = "";

    /// <summary>The longest a resident waits for one model call, retries included, before the retrieval answer.</summary>
    public int TimeoutSeconds { get; set; } = 8;

    /// <summary>Prompt plus completion tokens the bot may use per day (Asia/Ho_Chi_Minh); spent means no more calls that day.</summary>
    public long DailyTokenBudget { get; set; } = 200_000;
}

public sealed class AiOptionsValidator : IValidateOptions<AiOptions>
{
    public ValidateOptionsResult Validate(string? name, AiOptions o) =>
        o.TimeoutSeconds is < 1 or > 120
            ? ValidateOptionsResult.Fail($"Ai:TimeoutSeconds: phải từ 1 đến 120 giây (mặc định 8; đang là {o.TimeoutSeconds}).")
        : o.DailyTokenBudget < 0
            ? ValidateOptionsResult.Fail($"Ai:DailyTokenBudget: không được âm (mặc định 200000; đang là {o.DailyTokenBudget}).")
        : !o.Enabled ? ValidateOptionsResult.Success
        : !Uri.TryCreate(o.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https")
            ? ValidateOptionsResult.Fail($"Ai:Endpoint: cần địa chỉ http(s) đầy đủ của máy chủ tương thích OpenAI, ví dụ https://ai.example.vn/v1 (đang là \"{o.Endpoint}\").")
        : string.IsNullOrWhiteSpace(o.Model)
            ? ValidateOptionsResult.Fail("Ai:Model: cần tên mô hình khi Ai:Enabled là true (ví dụ gpt-4o-mini).")
        : ValidateOptionsResult.Success;
}
