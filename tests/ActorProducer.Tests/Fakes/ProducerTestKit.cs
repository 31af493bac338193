using Akka.Actor;
using Akka.Configuration;
using ActorProducer.Errors;
using ActorProducer.Messages;
using ActorProducer.Settings;
using ActorProducer.Transactions;
using Xunit.Abstractions;

namespace ActorProducer.Tests.Fakes;

/// <summary>
/// Base of the producer TestKit specs: an actor system with short producer timeouts and a <see cref="FakeCluster"/>
/// injected as the transport. Tests script the fake, start the producer with <see cref="StartProducerAsync"/> and
/// talk to it as a user would (Tell/Ask the actor, or the Task facade).
/// </summary>
public abstract class ProducerTestKit : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>Short timeouts so every failure path ends within a second or two.</summary>
    public const string ShortTimeouts = """
        akka.loglevel = INFO
        akka.rocketmq.producer {
          endpoints = "127.0.0.1:8081"
          request-timeout = 1s
          settings-handshake-timeout = 500ms
          heartbeat-interval = 200ms
          shutdown-drain-timeout = 3s
          startup-attempts = 3
          retry.max-attempts = 3
          reconnect { min-backoff = 50ms, max-backoff = 200ms }
        }
        """;

    /// <param name="output">xunit output, for the actor system's log.</param>
    /// <param name="hocon">Overrides on top of <see cref="ShortTimeouts"/>.</param>
    protected ProducerTestKit(ITestOutputHelper output, string hocon = "")
        : base(ConfigurationFactory.ParseString(hocon).WithFallback(ConfigurationFactory.ParseString(ShortTimeouts)), output: output)
    {
    }

    /// <summary>The scripted proxy every transport of the producer talks to.</summary>
    internal FakeCluster Fake { get; } = new();

    /// <summary>
    /// Starts the producer on the fake, configured from <c>akka.rocketmq.producer</c> and then
    /// <paramref name="configure"/> (e.g. prebound topics), with an optional transaction checker.
    /// </summary>
    protected Task<IRocketMqProducer> StartProducerAsync(Func<ProducerSettings, ProducerSettings>? configure = null,
        ITransactionChecker? checker = null, string name = "default")
    {
        var extension = RocketMqProducerExtension.Get(Sys);
        var settings = ProducerSettings.Create(Sys.Settings.Config);
        if (configure is not null) settings = configure(settings);
        return extension.StartProducerAsync(settings, name, new RocketMqProducerSetup { TransportFactory = Fake, TransactionChecker = checker });
    }

    /// <summary>Starts the producer with <paramref name="topics"/> prebound.</summary>
    protected Task<IRocketMqProducer> StartProducerAsync(params string[] topics) =>
        StartProducerAsync(s => s with { PreboundTopics = topics });

    /// <summary>Starts the producer and returns its actor, the entry point of the actor API.</summary>
    protected async Task<IActorRef> StartProducerActorAsync() => (await StartProducerAsync()).Actor;

    /// <summary>A checker that never decides (the broker would ask again); enough to begin transactions.</summary>
    protected sealed class UndecidedChecker : ITransactionChecker
    {
        public Task<TransactionResolution> CheckAsync(TransactionMessageView message, CancellationToken cancellationToken) =>
            Task.FromResult(TransactionResolution.Unknown);
    }

    /// <summary>Expects the reply to a send: a <see cref="SendResult"/>.</summary>
    protected async Task<SendResult> ExpectSentAsync(object? correlation = null, TimeSpan? within = null)
    {
        var outcome = await ExpectMsgAsync<SendOutcome>(within ?? TimeSpan.FromSeconds(5));
        var result = Assert.IsType<SendResult>(outcome);
        Assert.Equal(correlation, result.Correlation);
        return result;
    }

    /// <summary>Expects the reply to a send: a <see cref="SendFailed"/> of <paramref name="kind"/>.</summary>
    protected async Task<SendFailed> ExpectFailedAsync(ProducerErrorKind kind, object? correlation = null, TimeSpan? within = null)
    {
        var outcome = await ExpectMsgAsync<SendOutcome>(within ?? TimeSpan.FromSeconds(5));
        var failed = Assert.IsType<SendFailed>(outcome);
        Assert.True(failed.Error.Kind == kind, $"expected {kind} but got {failed.Error}");
        Assert.Equal(correlation, failed.Correlation);
        return failed;
    }

    /// <summary>Exactly one reply per send: nothing else arrives after the expected ones.</summary>
    protected async Task ExpectNoMoreRepliesAsync() => await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));

    /// <summary>Waits until <paramref name="condition"/> holds for the fake (polling; the producer works asynchronously).</summary>
    private protected async Task AwaitFakeAsync(Func<FakeCluster, bool> condition, string because, TimeSpan? within = null) =>
        await AwaitAssertAsync(() => Assert.True(condition(Fake), because), within ?? TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20));
}
