using ActorProducer.Chaos.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ActorProducer.Chaos.Tests;

/// <summary>
/// Issue 7, transactions: a slow or failing transaction checker. While it cannot decide, the broker's checks of
/// orphaned half messages resolve nothing (a late answer is ignored); once it recovers, every orphan ends as its local
/// transaction decided, and every command of every transaction gets exactly one reply (see <see cref="TransactionChaosRunner"/>).
/// </summary>
[Collection(ChaosCollection.Name)]
public sealed class TransactionChaosSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = ERROR", output: output)
{
    [Fact]
    public Task Should_ignore_a_slow_checker_past_its_timeout_and_resolve_orphans_once_it_answers_in_time() =>
        new TransactionChaosRunner(Sys, Output!).RunAsync(CheckerFault.Slow, ChaosSize.Sends);

    [Fact]
    public Task Should_leave_orphans_pending_while_the_checker_throws_and_resolve_them_once_it_recovers() =>
        new TransactionChaosRunner(Sys, Output!).RunAsync(CheckerFault.Throwing, ChaosSize.Sends);
}
