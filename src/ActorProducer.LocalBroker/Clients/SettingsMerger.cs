using Apache.Rocketmq.V2;
using Google.Protobuf.WellKnownTypes;

namespace ActorProducer.LocalBroker.Clients;

/// <summary>
/// The Settings reply (GrpcClientSettingsManager, behavior.md §4.4): the client's Settings with the proxy's values
/// overwritten. For producers, exponential back-off and max_body_size are always filled — clients copy them blindly.
/// </summary>
internal static class SettingsMerger
{
    public static Settings Merge(Settings received, LocalBrokerOptions options)
    {
        var merged = received.Clone();
        if (merged.PubSubCase == Settings.PubSubOneofCase.Publishing)
        {
            var backoff = options.Backoff;
            merged.BackoffPolicy = new RetryPolicy
            {
                MaxAttempts = backoff.MaxAttempts,
                ExponentialBackoff = new ExponentialBackoff
                {
                    Initial = Duration.FromTimeSpan(backoff.Initial),
                    Max = Duration.FromTimeSpan(backoff.Max),
                    Multiplier = backoff.Multiplier,
                },
            };
            merged.Publishing.ValidateMessageType = options.ValidateMessageType;
            merged.Publishing.MaxBodySize = options.MaxBodySize;
        }

        // No metric collector is configured: the proxy's default.
        merged.Metric = new Metric { On = false };
        return merged;
    }
}
