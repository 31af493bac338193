using Google.Protobuf.WellKnownTypes;

namespace ActorProducer.LocalBroker.Server;

/// <summary>
/// Conversions of protobuf times that never throw: a malformed request must end in a status, not an exception
/// (Timestamp.ToDateTimeOffset throws for out-of-range values; the proxy's Timestamps.toMillis does not).
/// </summary>
internal static class ProtoTime
{
    private static readonly long MinMillis = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxMillis = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>Epoch milliseconds, saturated instead of overflowing.</summary>
    public static long ToMillis(Timestamp timestamp)
    {
        var seconds = Math.Clamp(timestamp.Seconds, long.MinValue / 1000 + 1, long.MaxValue / 1000 - 1);
        return seconds * 1000 + timestamp.Nanos / 1_000_000;
    }

    public static DateTimeOffset ToDateTimeOffset(Timestamp timestamp) =>
        DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(ToMillis(timestamp), MinMillis, MaxMillis));

    /// <summary>Whole seconds, as the proxy's Durations.toSeconds.</summary>
    public static long ToSeconds(Duration duration) => duration.Seconds;

    public static Timestamp FromMillis(long millis) => new()
    {
        Seconds = Math.DivRem(millis, 1000, out var rest) - (rest < 0 ? 1 : 0),
        Nanos = (int)((rest < 0 ? rest + 1000 : rest) * 1_000_000),
    };
}
