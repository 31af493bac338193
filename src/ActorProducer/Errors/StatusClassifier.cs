using System.Globalization;
using System.Reflection;
using Google.Protobuf.Reflection;
using Apache.Rocketmq.V2;
using Grpc.Core;

namespace ActorProducer.Errors;

/// <summary>
/// Turns a RocketMQ status or a gRPC failure into a <see cref="ProducerError"/>: its kind, whether another attempt
/// can succeed (behavior.md §5.6 recommendation, a documented deviation from Java which retries everything),
/// whether the endpoint should be isolated (§5.5), and a message that names topic and endpoint and says what to do.
/// </summary>
internal static class StatusClassifier
{
    /// <summary>
    /// The error for a non-OK status answered by <paramref name="endpoint"/> to a request about <paramref name="topic"/>;
    /// <paramref name="request"/> names the request in the message ("send", "route query").
    /// </summary>
    public static ProducerError FromStatus(Code code, string statusMessage, string topic, string endpoint, string request = "send")
    {
        var said = string.IsNullOrWhiteSpace(statusMessage) || statusMessage == CodeName(code)
            ? ""
            : $" (server said: \"{statusMessage}\")";
        var at = $"the cluster at {endpoint}";
        var name = $"{CodeName(code)} {(int)code}";

        switch (code)
        {
            case Code.TopicNotFound:
                return new ProducerError(ProducerErrorKind.TopicNotFound, code, false,
                    $"topic '{topic}' does not exist on {at}: create it or fix the name{said}");
            case Code.Unauthorized:
                return new ProducerError(ProducerErrorKind.Unauthorized, code, false,
                    $"{at} refused the credentials for topic '{topic}' ({name}){said}: check akka.rocketmq.producer.credentials (access key, secret key) and that the user may publish to the topic");
            case Code.Forbidden when statusMessage?.Contains("writable", StringComparison.OrdinalIgnoreCase) == true:
                return new ProducerError(ProducerErrorKind.NoWritableQueue, code, false,
                    $"topic '{topic}' has no writable queue on {at} ({name}){said}: grant the topic write permission on its brokers");
            case Code.Forbidden:
                return new ProducerError(ProducerErrorKind.Unauthorized, code, false,
                    $"{at} forbids sending to topic '{topic}' ({name}){said}: check the user's permissions and the topic's write permission");
        }

        var retryable = IsRetryable(code);
        return new ProducerError(ProducerErrorKind.ServerRejected, code, retryable,
            $"{at} rejected the {request} for topic '{topic}' with {name}{said}: {Advice(code, topic)}");
    }

    /// <summary>True when the server throttled the request: back off before the next attempt.</summary>
    public static bool IsThrottling(Code code) => code == Code.TooManyRequests;

    /// <summary>True when <paramref name="error"/> carries TOO_MANY_REQUESTS (a status, or gRPC RESOURCE_EXHAUSTED).</summary>
    public static bool IsThrottling(ProducerError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.StatusCode is Code.TooManyRequests;
    }

    /// <summary>
    /// True when the endpoint that produced <paramref name="error"/> should be skipped by later sends until a
    /// heartbeat succeeds: retryable server and transport failures. A non-retryable answer (bad request, auth,
    /// unknown topic) says nothing about the endpoint's health, and local failures never reached it.
    /// </summary>
    public static bool ShouldIsolate(ProducerError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.IsRetryable
            && error.Kind is ProducerErrorKind.ServerRejected or ProducerErrorKind.Timeout or ProducerErrorKind.Unavailable;
    }

    /// <summary>The error for a call to <paramref name="endpoint"/> that failed at the gRPC level.</summary>
    public static ProducerError FromRpcException(RpcException ex, string endpoint, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var detail = string.IsNullOrWhiteSpace(ex.Status.Detail) ? "" : $": {ex.Status.Detail}";
        var grpc = $"gRPC {ex.StatusCode}{detail}";
        switch (ex.StatusCode)
        {
            case StatusCode.DeadlineExceeded:
                var seconds = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
                return new ProducerError(ProducerErrorKind.Timeout, null, true,
                    $"no answer from {endpoint} within the request timeout of {seconds} s ({grpc}): the message may or may not have been stored (a retry keeps its message id); if the proxy is just slow raise akka.rocketmq.producer.request-timeout, otherwise check that the address and TLS setting match the proxy")
                    { OutcomeUnknown = true };
            case StatusCode.ResourceExhausted:
                return new ProducerError(ProducerErrorKind.ServerRejected, Code.TooManyRequests, true,
                    $"{endpoint} is overloaded ({grpc}); treated as TOO_MANY_REQUESTS: retried with back-off, reduce the send rate if it persists");
            case StatusCode.Unauthenticated:
            case StatusCode.PermissionDenied:
                return new ProducerError(ProducerErrorKind.Unauthorized, null, false,
                    $"{endpoint} refused the call ({grpc}): check akka.rocketmq.producer.credentials and the TLS setting");
            default:
                return new ProducerError(ProducerErrorKind.Unavailable, null, true,
                    $"cannot reach the proxy at {endpoint} ({grpc}): check the address in akka.rocketmq.producer.endpoints, that the proxy is running, and that akka.rocketmq.producer.tls.enabled matches it; retried on another broker when possible");
        }
    }

    /// <summary>
    /// Whether another attempt (on the same or another broker) can succeed. Not retried: the 400xx family,
    /// auth, not-found, size limits, quotas and "not supported" answers, which would fail the same way anywhere.
    /// Retried: throttling, request timeout, internal errors, proxy/persistence timeouts, HA unavailable and any
    /// other 5xxxx code.
    /// </summary>
    internal static bool IsRetryable(Code code) => code switch
    {
        Code.TooManyRequests or Code.RequestTimeout => true,
        Code.NotImplemented or Code.Unsupported or Code.VersionUnsupported or Code.VerifyFifoMessageUnsupported => false,
        _ => (int)code is >= 50000 and < 60000,
    };

    private static string Advice(Code code, string topic) => code switch
    {
        Code.TooManyRequests => "the server is throttling; the send is retried with back-off, reduce the send rate if it persists",
        Code.RequestTimeout => "the server timed out; the send is retried",
        Code.IllegalTopic => $"topic '{topic}' is not a legal name or is a system topic: use 1-127 characters of [%a-zA-Z0-9_-]",
        Code.IllegalMessageTag => "fix the message's tag (not blank, no '|', no control characters)",
        Code.IllegalMessageKey => "fix the message's keys (not blank, no control characters)",
        Code.IllegalMessageGroup => "fix the message group (not blank, under 64 UTF-8 bytes, no control characters)",
        Code.IllegalMessagePropertyKey => "rename or remove the reserved or malformed user property",
        Code.IllegalDeliveryTime => "set a delivery time at most one day ahead",
        Code.IllegalMessageId => "the message id was blank; this is a client bug, please report it",
        Code.MessagePropertyConflictWithType =>
            $"the message type does not match the type of topic '{topic}' (or the topic is unknown to the proxy): send FIFO messages (with a group) to a FIFO topic, delayed ones to a DELAY topic, transactional ones to a TRANSACTION topic, or use a MIXED topic",
        Code.MessageCorrupted => "the request was malformed (empty batch or mixed topics); this is a client bug if it passed validation",
        Code.ClientIdRequired => "the client id header was missing; this is a client bug, please report it",
        Code.PayloadTooLarge or Code.MessageBodyTooLarge => "the body exceeds the server's max message size: shrink or split it",
        Code.MessageBodyEmpty => "the body is empty: send at least 1 byte",
        Code.RequestHeaderFieldsTooLarge or Code.MessagePropertiesTooLarge => "too many or too large properties, tag and keys: move data into the body",
        Code.InternalError or Code.InternalServerError => "server-side failure; retried on another broker when possible, check the proxy and broker logs if it persists",
        Code.HaNotAvailable => "the broker's replicas are unavailable; retried, check the broker's HA setup if it persists",
        Code.ProxyTimeout => "the proxy timed out waiting for the broker; the message may or may not have been stored (a retry keeps its message id)",
        Code.MasterPersistenceTimeout or Code.SlavePersistenceTimeout =>
            "the broker could not flush or replicate in time; the message may have been stored (a retry keeps its message id)",
        Code.NotImplemented or Code.Unsupported or Code.VersionUnsupported or Code.VerifyFifoMessageUnsupported =>
            "the server does not support this request; check the proxy version",
        Code.LiteTopicQuotaExceeded or Code.LiteSubscriptionQuotaExceeded => "a server quota is exhausted; raise it or free capacity",
        _ when IsRetryable(code) => "retried on another broker when possible",
        _ => "the request cannot succeed as sent; fix the message or the topic's configuration",
    };

    // The proto names (TOO_MANY_REQUESTS), as operators and the RocketMQ docs spell them.
    private static readonly Dictionary<Code, string> ProtoNames = typeof(Code).GetFields(BindingFlags.Public | BindingFlags.Static)
        .ToDictionary(f => (Code)f.GetValue(null)!, f => f.GetCustomAttribute<OriginalNameAttribute>()?.Name ?? f.Name);

    internal static string CodeName(Code code) => ProtoNames.TryGetValue(code, out var name) ? name : code.ToString();
}
