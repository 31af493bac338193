using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;

namespace ActorProducer.Tests.Facade;

/// <summary>The facade's reply targets: one reply completes the Task; silence, cancellation and wrong replies fail it.</summary>
public sealed class FacadeRepliesSpec(ITestOutputHelper output) : TestKit(output: output)
{
    [Fact]
    public async Task The_first_reply_completes_the_task_and_later_ones_are_ignored()
    {
        var producer = CreateTestProbe();
        var replies = new FacadeReplies(producer.Ref);

        var task = replies.Ask<string>(producer.Ref, "request", TimeSpan.FromSeconds(30), CancellationToken.None);
        producer.ExpectMsg("request");
        producer.LastSender.Tell("first");
        producer.LastSender.Tell("second");

        Assert.Equal("first", await task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, replies.Pending);
    }

    [Fact]
    public async Task A_request_nobody_answers_fails_with_AskTimeoutException_after_its_timeout()
    {
        var producer = CreateTestProbe();
        var replies = new FacadeReplies(producer.Ref);

        var task = replies.Ask<string>(producer.Ref, "request", TimeSpan.FromMilliseconds(100), CancellationToken.None);

        await Assert.ThrowsAsync<AskTimeoutException>(() => task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, replies.Pending);
    }

    [Fact]
    public async Task Cancelling_the_callers_token_cancels_the_task_and_forgets_it()
    {
        var producer = CreateTestProbe();
        var replies = new FacadeReplies(producer.Ref);
        using var cancellation = new CancellationTokenSource();

        var task = replies.Ask<string>(producer.Ref, "request", TimeSpan.FromSeconds(30), cancellation.Token);
        producer.ExpectMsg("request");
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, replies.Pending);
    }

    [Fact]
    public async Task A_reply_of_the_wrong_type_fails_the_task_naming_it()
    {
        var producer = CreateTestProbe();
        var replies = new FacadeReplies(producer.Ref);

        var task = replies.Ask<string>(producer.Ref, "request", TimeSpan.FromSeconds(30), CancellationToken.None);
        producer.ExpectMsg("request");
        producer.LastSender.Tell(42);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains("42", error.Message);
    }

    [Fact]
    public async Task Each_reply_target_completes_its_own_request()
    {
        var producer = CreateTestProbe();
        var replies = new FacadeReplies(producer.Ref);

        var first = replies.Ask<string>(producer.Ref, "one", TimeSpan.FromSeconds(30), CancellationToken.None);
        producer.ExpectMsg("one");
        var firstTarget = producer.LastSender;
        var second = replies.Ask<string>(producer.Ref, "two", TimeSpan.FromSeconds(30), CancellationToken.None);
        producer.ExpectMsg("two");
        var secondTarget = producer.LastSender;

        secondTarget.Tell("answer two");
        firstTarget.Tell("answer one");
        Assert.Equal("answer one", await first.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("answer two", await second.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
