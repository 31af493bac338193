using ActorProducer.Errors;
using ActorProducer.LocalBroker;
using ActorProducer.Messages;
using Broker = ActorProducer.LocalBroker.LocalBroker;

namespace ActorProducer.Chaos.Tests.Infrastructure;

/// <summary>What a fault step can act on while traffic runs.</summary>
public sealed record ChaosContext(Broker Broker, IRocketMqProducer Producer);

/// <summary>A fault action taken once <see cref="AtFraction"/> of all sends (both APIs together) have been started.</summary>
public sealed record FaultStep(double AtFraction, string Description, Func<ChaosContext, Task> Act);

/// <summary>A deliberately invalid send; <see cref="Message"/> may be null (a caller bug the producer must refuse too).</summary>
public sealed record BadInput(ProducerMessage? Message);

/// <summary>
/// One fault kind: how LocalBroker and the producer are set up, which faults are injected at which point of the
/// traffic, whether an outcome can be unknown (so that duplicates are allowed), and what the outcomes must show
/// besides the accounting every scenario shares.
/// </summary>
public sealed record ChaosScenario(string Name)
{
    /// <summary>Simulated brokers in the topic's route.</summary>
    public int BrokerCount { get; init; } = 1;

    /// <summary>Producer settings of this scenario on top of <see cref="ChaosConfig.ProducerDefaults"/> (keys under akka.rocketmq.producer).</summary>
    public string ProducerHocon { get; init; } = "";

    /// <summary>Sends in flight per API at once (a window, like a caller's own concurrency limit).</summary>
    public int Window { get; init; } = 64;

    /// <summary>Paces the offered load: after every <see cref="Burst"/> sends of one API, a pause of <see cref="Pace"/> (zero = as fast as the window allows).</summary>
    public TimeSpan Pace { get; init; } = TimeSpan.Zero;

    /// <summary>Sends per API between two pauses of <see cref="Pace"/>.</summary>
    public int Burst { get; init; } = 1;

    /// <summary>Fault actions, in the order of their <see cref="FaultStep.AtFraction"/>.</summary>
    public IReadOnlyList<FaultStep> Steps { get; init; } = [];

    /// <summary>
    /// Whether this fault can leave an outcome unknown (a timeout then a retry, a broker stopped after storing, a send
    /// failed at the drain timeout): only then may one message id be stored twice, or a failed send be in the store
    /// (both are counted). Everywhere else both must be 0.
    /// </summary>
    public bool UnknownOutcomes { get; init; }

    /// <summary>Replaces the good message of send <c>seq</c> by a bad input (null = keep it good).</summary>
    public Func<ProducerMessage, int, BadInput?>? Spoil { get; init; }

    /// <summary>Failure kinds this fault may cause; any other failure fails the scenario.</summary>
    public IReadOnlySet<ProducerErrorKind> ExpectedFailures { get; init; } = new HashSet<ProducerErrorKind>();

    /// <summary>Assertions specific to this fault, on the tallies of both APIs (e.g. "some sends were refused as Overloaded").</summary>
    public Action<IReadOnlyList<ApiTally>> Expect { get; init; } = _ => { };
}

/// <summary>Fault steps several scenarios use.</summary>
public static class FaultSteps
{
    /// <summary>From <paramref name="at"/> on, every SendMessage waits <paramref name="delay"/> (zero removes the latency).</summary>
    public static FaultStep SendLatency(double at, TimeSpan delay, string why = "") =>
        new(at, delay == TimeSpan.Zero ? "SendMessage latency removed" : $"SendMessage latency {delay.TotalMilliseconds:0} ms{why}", c =>
        {
            c.Broker.Faults.SetLatency(ActorProducer.LocalBroker.Faults.BrokerRpc.SendMessage, delay);
            return Task.CompletedTask;
        });
}
