using Grpc.Core;

namespace ActorProducer.Transport;

/// <summary>
/// Builds the gRPC metadata every RocketMQ request carries (behavior.md §2.1–2.2). One instance per transport:
/// the fixed headers are built once and the date-time with its signature once per second, so a request only adds
/// its own <c>x-mq-request-id</c> (this is on every send's path). Thread-safe.
/// </summary>
internal sealed class RequestMetadata(ClientIdentity identity)
{
    /// <summary>What the proxy expects for .NET clients; it must be a valid server language code.</summary>
    public const string Language = "DOTNET";

    // Metadata entries are immutable, so one instance can sit in every request's metadata.
    private readonly Metadata.Entry[] _fixed =
    [
        new("x-mq-language", Language),
        new("x-mq-protocol", "v2"),
        new("x-mq-client-version", ClientIdentity.ClientVersion),
        new("x-mq-client-id", identity.ClientId),
        new("x-mq-namespace", identity.Namespace),
    ];

    private volatile Signed? _current;

    /// <summary>Headers for one request, signed with the credentials the provider gives now.</summary>
    public static Metadata Create(ClientIdentity identity) => new RequestMetadata(identity).Next();

    /// <summary>Headers for the next request.</summary>
    public Metadata Next()
    {
        var headers = new Metadata();
        foreach (var entry in _fixed) headers.Add(entry);
        headers.Add("x-mq-request-id", Ids.RequestIds.Next());
        foreach (var entry in CurrentSigned().Entries) headers.Add(entry);
        return headers;
    }

    /// <summary>The date-time and signature entries, rebuilt when the second or the credentials change.</summary>
    private Signed CurrentSigned()
    {
        var now = DateTime.UtcNow;
        var second = now.Ticks / TimeSpan.TicksPerSecond;
        var credentials = identity.Credentials?.GetCredentials();
        var current = _current;
        if (current is not null && current.Second == second && Equals(current.Credentials, credentials)) return current;
        return _current = Sign(second, RequestSigner.FormatDateTime(now), credentials);
    }

    private static Signed Sign(long second, string dateTime, Settings.SessionCredentials? credentials)
    {
        var entries = new List<Metadata.Entry>(3) { new("x-mq-date-time", dateTime) };
        if (credentials is not null)
        {
            if (!string.IsNullOrEmpty(credentials.SecurityToken))
                entries.Add(new("x-mq-session-token", credentials.SecurityToken));
            // Like the Java client: sign only when both halves are present.
            if (!string.IsNullOrWhiteSpace(credentials.AccessKey) && !string.IsNullOrWhiteSpace(credentials.AccessSecret))
                entries.Add(new("authorization", RequestSigner.Authorization(credentials.AccessKey, credentials.AccessSecret, dateTime)));
        }
        return new Signed(second, credentials, entries.ToArray());
    }

    /// <summary>One second's signed entries for one set of credentials (a record: equal credentials reuse it).</summary>
    private sealed record Signed(long Second, Settings.SessionCredentials? Credentials, Metadata.Entry[] Entries);
}
