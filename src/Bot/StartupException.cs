namespace Bot;

/// <summary>A configuration problem that stops start-up with one clear message naming the key.</summary>
public sealed class StartupException(string key, string message) : Exception($"{key}: {message}")
{
    public string Key { get; } = key;
}
