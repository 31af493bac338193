using Akka.Configuration;
using Broker = ActorProducer.LocalBroker.LocalBroker;

namespace ActorProducer.Chaos.Tests.Infrastructure;

/// <summary>The producer configuration of a chaos run, as an application writes it in HOCON.</summary>
public static class ChaosConfig
{
    /// <summary>
    /// Short timeouts so that a fault resolves in seconds: 1 s per request (a loopback call takes well under 1 ms, but the
    /// whole solution's tests share two cores, and a spurious timeout is a retry and maybe a duplicate), back-off 5–50 ms,
    /// heartbeats every 200 ms (isolated endpoints rejoin quickly), reconnects from 50 ms. The send deadline this gives
    /// is 5.6 s (handshake 1.5 s + route 1 s + 3 × 1 s + 2 × 50 ms).
    /// </summary>
    public const string ProducerDefaults = """
        request-timeout = 1s
        settings-handshake-timeout = 500ms
        retry { max-attempts = 3, initial-backoff = 5ms, max-backoff = 50ms, backoff-multiplier = 2.0 }
        shutdown-drain-timeout = 1s
        heartbeat-interval = 200ms
        startup-attempts = 3
        reconnect { min-backoff = 50ms, max-backoff = 500ms, random-factor = 0.2 }
        """;

    /// <summary>The configuration for <paramref name="broker"/> with <paramref name="topics"/> prebound and <paramref name="overrides"/> last.</summary>
    public static Config For(Broker broker, IEnumerable<string> topics, string overrides = "") =>
        ConfigurationFactory.ParseString($$"""
            akka.rocketmq.producer {
              endpoints = "{{broker.Endpoint}}"
              topics = [{{string.Join(", ", topics.Select(t => $"\"{t}\""))}}]
              {{ProducerDefaults}}
              {{overrides}}
            }
            """).WithFallback(RocketMqProducerExtension.DefaultConfig());
}
