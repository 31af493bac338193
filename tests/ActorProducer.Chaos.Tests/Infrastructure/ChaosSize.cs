namespace ActorProducer.Chaos.Tests.Infrastructure;

/// <summary>How many sends each fault kind gets per API: 1,000 in CI, <c>CHAOS_SENDS=10000</c> for the full-size run.</summary>
public static class ChaosSize
{
    /// <summary>The CI size: the issue asks for at least 1,000 sends per fault kind.</summary>
    public const int Default = 1_000;

    /// <summary>Sends per fault kind per API (actor and facade each get this many).</summary>
    public static int Sends { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("CHAOS_SENDS"), out var n) && n > 0 ? n : Default;
}
