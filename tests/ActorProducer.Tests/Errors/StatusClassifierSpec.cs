using ActorProducer.Errors;
using Apache.Rocketmq.V2;
using Grpc.Core;

namespace ActorProducer.Tests.Errors;

public sealed class StatusClassifierSpec
{
    private const string Topic = "orders";
    private const string Endpoint = "127.0.0.1:8081";

    private static ProducerError From(Code code, string message = "") => StatusClassifier.FromStatus(code, message, Topic, Endpoint);

    private static ProducerError FromRpc(StatusCode status, string detail = "", double timeoutSeconds = 3) =>
        StatusClassifier.FromRpcException(new RpcException(new Grpc.Core.Status(status, detail)), Endpoint, TimeSpan.FromSeconds(timeoutSeconds));

    [Theory]
    // Cannot succeed on another attempt: not retried (documented deviation from Java, §5.6).
    [InlineData(Code.BadRequest, false)]
    [InlineData(Code.IllegalTopic, false)]
    [InlineData(Code.IllegalMessageTag, false)]
    [InlineData(Code.IllegalMessageKey, false)]
    [InlineData(Code.IllegalMessageGroup, false)]
    [InlineData(Code.IllegalMessagePropertyKey, false)]
    [InlineData(Code.IllegalMessageId, false)]
    [InlineData(Code.IllegalDeliveryTime, false)]
    [InlineData(Code.MessagePropertyConflictWithType, false)]
    [InlineData(Code.MessageCorrupted, false)]
    [InlineData(Code.ClientIdRequired, false)]
    [InlineData(Code.InvalidClientProperties, false)]
    [InlineData(Code.Unauthorized, false)]
    [InlineData(Code.PaymentRequired, false)]
    [InlineData(Code.Forbidden, false)]
    [InlineData(Code.NotFound, false)]
    [InlineData(Code.TopicNotFound, false)]
    [InlineData(Code.PayloadTooLarge, false)]
    [InlineData(Code.MessageBodyTooLarge, false)]
    [InlineData(Code.MessageBodyEmpty, false)]
    [InlineData(Code.PreconditionFailed, false)]
    [InlineData(Code.LiteTopicQuotaExceeded, false)]
    [InlineData(Code.RequestHeaderFieldsTooLarge, false)]
    [InlineData(Code.MessagePropertiesTooLarge, false)]
    [InlineData(Code.NotImplemented, false)]
    [InlineData(Code.Unsupported, false)]
    [InlineData(Code.VersionUnsupported, false)]
    [InlineData(Code.VerifyFifoMessageUnsupported, false)]
    [InlineData(Code.Unspecified, false)]
    [InlineData(Code.FailedToConsumeMessage, false)]
    // Can succeed later or elsewhere: retried.
    [InlineData(Code.TooManyRequests, true)]
    [InlineData(Code.RequestTimeout, true)]
    [InlineData(Code.InternalError, true)]
    [InlineData(Code.InternalServerError, true)]
    [InlineData(Code.HaNotAvailable, true)]
    [InlineData(Code.ProxyTimeout, true)]
    [InlineData(Code.MasterPersistenceTimeout, true)]
    [InlineData(Code.SlavePersistenceTimeout, true)]
    [InlineData((Code)50999, true)] // an unknown 5xxxx code
    [InlineData((Code)40999, false)] // an unknown 4xxxx code
    public void Retries_only_what_can_succeed_on_another_attempt(Code code, bool retryable) =>
        Assert.Equal(retryable, From(code).IsRetryable);

    [Theory]
    [InlineData(Code.TopicNotFound, "", ProducerErrorKind.TopicNotFound)]
    [InlineData(Code.Unauthorized, "", ProducerErrorKind.Unauthorized)]
    [InlineData(Code.Forbidden, "", ProducerErrorKind.Unauthorized)]
    [InlineData(Code.Forbidden, "no writable queue", ProducerErrorKind.NoWritableQueue)]
    [InlineData(Code.TooManyRequests, "", ProducerErrorKind.ServerRejected)]
    [InlineData(Code.IllegalTopic, "", ProducerErrorKind.ServerRejected)]
    [InlineData(Code.InternalServerError, "", ProducerErrorKind.ServerRejected)]
    public void Kind_follows_the_code(Code code, string message, ProducerErrorKind kind)
    {
        var error = From(code, message);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(code, error.StatusCode);
    }

    [Fact]
    public void Topic_not_found_says_to_create_the_topic_or_fix_the_name() =>
        Assert.StartsWith(
            "topic 'orders' does not exist on the cluster at 127.0.0.1:8081: create it or fix the name",
            From(Code.TopicNotFound, "topic not exist").Message, StringComparison.Ordinal);

    public static TheoryData<Code> AllCodes => [.. Enum.GetValues<Code>().Where(c => c is not Code.Ok and not Code.MultipleResults)];

    [Theory]
    [MemberData(nameof(AllCodes))]
    public void Every_message_names_topic_endpoint_and_what_to_do(Code code)
    {
        var message = From(code, "details from the server").Message;
        Assert.Contains("'orders'", message, StringComparison.Ordinal);
        Assert.Contains(Endpoint, message, StringComparison.Ordinal);
        Assert.Contains("details from the server", message, StringComparison.Ordinal);
        Assert.Contains(':', message[(message.IndexOf(Endpoint, StringComparison.Ordinal) + Endpoint.Length)..]);
    }

    [Fact]
    public void Server_text_that_only_repeats_the_code_name_is_left_out()
    {
        Assert.DoesNotContain("server said", From(Code.TooManyRequests, "TOO_MANY_REQUESTS").Message, StringComparison.Ordinal);
        Assert.Contains("TOO_MANY_REQUESTS 42900", From(Code.TooManyRequests, "TOO_MANY_REQUESTS").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Code.TooManyRequests, true)]
    [InlineData(Code.InternalServerError, false)]
    [InlineData(Code.ProxyTimeout, false)]
    public void Only_TOO_MANY_REQUESTS_is_throttling(Code code, bool throttling)
    {
        Assert.Equal(throttling, StatusClassifier.IsThrottling(code));
        Assert.Equal(throttling, StatusClassifier.IsThrottling(From(code)));
    }

    [Theory]
    [InlineData(Code.TooManyRequests, true)]
    [InlineData(Code.InternalServerError, true)]
    [InlineData(Code.ProxyTimeout, true)]
    [InlineData(Code.HaNotAvailable, true)]
    [InlineData(Code.IllegalTopic, false)]
    [InlineData(Code.TopicNotFound, false)]
    [InlineData(Code.Unauthorized, false)]
    [InlineData(Code.MessageBodyTooLarge, false)]
    public void Isolates_endpoints_only_for_retryable_server_failures(Code code, bool isolate) =>
        Assert.Equal(isolate, StatusClassifier.ShouldIsolate(From(code)));

    [Theory]
    [InlineData(ProducerErrorKind.InvalidMessage, false, false)]
    [InlineData(ProducerErrorKind.Overloaded, true, false)]
    [InlineData(ProducerErrorKind.ShuttingDown, false, false)]
    [InlineData(ProducerErrorKind.Timeout, true, true)]
    [InlineData(ProducerErrorKind.Unavailable, true, true)]
    [InlineData(ProducerErrorKind.ServerRejected, true, true)]
    [InlineData(ProducerErrorKind.ServerRejected, false, false)]
    public void Local_failures_never_isolate(ProducerErrorKind kind, bool retryable, bool isolate) =>
        Assert.Equal(isolate, StatusClassifier.ShouldIsolate(new ProducerError(kind, null, retryable, "m")));

    [Theory]
    [InlineData(StatusCode.DeadlineExceeded, ProducerErrorKind.Timeout, true, null)]
    [InlineData(StatusCode.Unavailable, ProducerErrorKind.Unavailable, true, null)]
    [InlineData(StatusCode.Internal, ProducerErrorKind.Unavailable, true, null)]
    [InlineData(StatusCode.Unknown, ProducerErrorKind.Unavailable, true, null)]
    [InlineData(StatusCode.Cancelled, ProducerErrorKind.Unavailable, true, null)]
    [InlineData(StatusCode.ResourceExhausted, ProducerErrorKind.ServerRejected, true, Code.TooManyRequests)]
    [InlineData(StatusCode.Unauthenticated, ProducerErrorKind.Unauthorized, false, null)]
    [InlineData(StatusCode.PermissionDenied, ProducerErrorKind.Unauthorized, false, null)]
    [InlineData(StatusCode.Unimplemented, ProducerErrorKind.Unavailable, true, null)]
    [InlineData(StatusCode.InvalidArgument, ProducerErrorKind.Unavailable, true, null)]
    public void gRPC_failures_map_to_kind_and_retryability(StatusCode status, ProducerErrorKind kind, bool retryable, Code? code)
    {
        var error = FromRpc(status, "detail text");
        Assert.Equal(kind, error.Kind);
        Assert.Equal(retryable, error.IsRetryable);
        Assert.Equal(code, error.StatusCode);
        Assert.Contains(Endpoint, error.Message, StringComparison.Ordinal);
        Assert.Contains("detail text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RESOURCE_EXHAUSTED_is_throttling() =>
        Assert.True(StatusClassifier.IsThrottling(FromRpc(StatusCode.ResourceExhausted)));

    [Fact]
    public void Deadline_message_names_the_timeout_and_the_setting_to_raise()
    {
        var error = FromRpc(StatusCode.DeadlineExceeded, timeoutSeconds: 2.5);
        Assert.Contains("request timeout of 2.5 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("akka.rocketmq.producer.request-timeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("may or may not have been stored", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreachable_endpoint_message_says_what_to_check()
    {
        var error = FromRpc(StatusCode.Unavailable, "Connection refused");
        Assert.Contains("akka.rocketmq.producer.endpoints", error.Message, StringComparison.Ordinal);
        Assert.Contains("tls.enabled", error.Message, StringComparison.Ordinal);
    }
}
