using Microsoft.Extensions.Options;

namespace Bot.Channels;

/// <summary>The "Channels" configuration section: the inbox of platform updates, validated at start-up.</summary>
public sealed class ChannelOptions
{
    public const string Section = "Channels";

    /// <summary>
    /// Inbound update workers (one chat always goes to the same one). A worker spends most of an update waiting (the
    /// batched commit, the platform's reply call), not computing, so their number is not tied to the cores.
    /// </summary>
    public int Workers { get; set; } = 64;

    /// <summary>How often a node looks for pending updates and for updates whose node died.</summary>
    public int SweepSeconds { get; set; } = 10;

    /// <summary>Answered updates (only their id is kept) are deleted after this many days.</summary>
    public double KeepAnsweredDays { get; set; } = 7;
}

public sealed class ChannelOptionsValidator : IValidateOptions<ChannelOptions>
{
    public ValidateOptionsResult Validate(string? name, ChannelOptions o) =>
        o.Workers is < 1 or > 1024 ? ValidateOptionsResult.Fail($"Channels:Workers: phải từ 1 đến 1024 (đang là {o.Workers}).")
        : o.SweepSeconds < 1 ? ValidateOptionsResult.Fail($"Channels:SweepSeconds: phải từ 1 trở lên (mặc định 10; đang là {o.SweepSeconds}).")
        : o.KeepAnsweredDays <= 0 ? ValidateOptionsResult.Fail($"Channels:KeepAnsweredDays: phải là số ngày dương (mặc định 7; đang là {o.KeepAnsweredDays}).")
        : ValidateOptionsResult.Success;
}
