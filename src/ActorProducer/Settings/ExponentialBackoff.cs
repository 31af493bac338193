namespace ActorProducer.Settings;

/// <summary>
/// Exponential back-off: <c>min(Initial × Multiplier^(attempt−1), Max)</c> (behavior.md §5.6). Used for the
/// TOO_MANY_REQUESTS delay between send attempts (the server's policy from settings sync replaces the local one)
/// and, with <see cref="RandomFactor"/>, for reconnect delays.
/// </summary>
/// <param name="Initial">Delay for attempt 1; multiplied for each later attempt.</param>
/// <param name="Max">Upper bound of <see cref="DelayBefore"/> (jitter comes on top).</param>
/// <param name="Multiplier">Growth per attempt; 1 keeps the delay constant.</param>
/// <param name="RandomFactor">Jitter added by <see cref="WithJitter"/>, as a fraction of the delay (0 = none).</param>
internal sealed record ExponentialBackoff(TimeSpan Initial, TimeSpan Max, double Multiplier, double RandomFactor = 0)
{
    /// <summary>The client's own policy before the server's arrives, and the one it sends: retry at once.</summary>
    public static ExponentialBackoff Immediate { get; } = new(TimeSpan.Zero, TimeSpan.Zero, 1);

    /// <summary>
    /// Delay before <paramref name="attempt"/>, the attempt about to be made (2 = first retry). With the proxy's
    /// policy (10 ms, 1 s, ×2) that is 20 ms before attempt 2 and 40 ms before attempt 3, as in the Java client.
    /// </summary>
    public TimeSpan DelayBefore(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        if (Initial <= TimeSpan.Zero || Max <= TimeSpan.Zero) return TimeSpan.Zero;
        var ticks = Initial.Ticks * Math.Pow(Multiplier, attempt - 1);
        if (double.IsNaN(ticks) || ticks <= 0) return TimeSpan.Zero;
        return ticks >= Max.Ticks ? Max : TimeSpan.FromTicks((long)ticks); // also catches overflow to infinity
    }

    /// <summary>
    /// <paramref name="delay"/> plus a random share of up to <see cref="RandomFactor"/> of it, so that many
    /// clients reconnecting after one outage do not retry in lock-step.
    /// </summary>
    public TimeSpan WithJitter(TimeSpan delay, Random random) => Jitter(delay, RandomFactor, random);

    /// <summary><paramref name="delay"/> × (1 + uniform[0, <paramref name="randomFactor"/>)).</summary>
    public static TimeSpan Jitter(TimeSpan delay, double randomFactor, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(randomFactor);
        if (randomFactor == 0 || delay <= TimeSpan.Zero) return delay;
        return TimeSpan.FromTicks((long)(delay.Ticks * (1 + random.NextDouble() * randomFactor)));
    }

    /// <summary>The server's policy from <c>Settings.backoff_policy.exponential_backoff</c>; unset durations are zero, a missing or invalid multiplier is 1.</summary>
    public static ExponentialBackoff FromProto(Apache.Rocketmq.V2.ExponentialBackoff proto)
    {
        ArgumentNullException.ThrowIfNull(proto);
        var multiplier = float.IsFinite(proto.Multiplier) && proto.Multiplier > 0 ? proto.Multiplier : 1;
        return new ExponentialBackoff(
            proto.Initial?.ToTimeSpan() ?? TimeSpan.Zero,
            proto.Max?.ToTimeSpan() ?? TimeSpan.Zero,
            multiplier);
    }

    /// <summary>The protobuf form, for the <c>backoff_policy</c> the client sends in its settings.</summary>
    public Apache.Rocketmq.V2.ExponentialBackoff ToProto() => new()
    {
        Initial = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(Initial),
        Max = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(Max),
        Multiplier = (float)Multiplier,
    };
}
