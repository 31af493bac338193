using ActorProducer.Validation;

namespace ActorProducer.Settings;

/// <summary>
/// What the server decides for producers, learned from the settings handshake (behavior.md §4.4):
/// the body limit, the throttling back-off and whether message types are checked against the route.
/// Until the first handshake the local defaults apply.
/// </summary>
internal sealed record ServerLimits(int MaxBodySize, ExponentialBackoff Backoff, bool ValidateMessageType)
{
    /// <summary>The proxy's own defaults: 4 MiB, the configured back-off, type check on.</summary>
    public static ServerLimits Defaults(ProducerSettings settings) => new(MessageValidator.DefaultMaxBodySize, settings.Backoff, true);

    /// <summary>Applies a server Settings reply; fields the server left out keep their current value.</summary>
    public ServerLimits Apply(Apache.Rocketmq.V2.Settings server) => this with
    {
        MaxBodySize = server.Publishing is { MaxBodySize: > 0 } publishing ? publishing.MaxBodySize : MaxBodySize,
        ValidateMessageType = server.Publishing?.ValidateMessageType ?? ValidateMessageType,
        Backoff = server.BackoffPolicy?.ExponentialBackoff is { } backoff ? ExponentialBackoff.FromProto(backoff) : Backoff,
    };
}
