using Grpc.Core;

namespace ActorProducer.Transport;

/// <summary>Builds the gRPC metadata every RocketMQ request carries (behavior.md §2.1–2.2).</summary>
internal static class RequestMetadata
{
    /// <summary>What the proxy expects for .NET clients; it must be a valid server language code.</summary>
    public const string Language = "DOTNET";

    public static Metadata Create(ClientIdentity identity)
    {
        var dateTime = RequestSigner.FormatDateTime(DateTime.UtcNow);
        var headers = new Metadata
        {
            { "x-mq-language", Language },
            { "x-mq-protocol", "v2" },
            { "x-mq-client-version", ClientIdentity.ClientVersion },
            { "x-mq-date-time", dateTime },
            { "x-mq-request-id", Guid.NewGuid().ToString() },
            { "x-mq-client-id", identity.ClientId },
            { "x-mq-namespace", identity.Namespace },
        };
        if (identity.Credentials?.GetCredentials() is { } credentials)
        {
            if (!string.IsNullOrEmpty(credentials.SecurityToken))
                headers.Add("x-mq-session-token", credentials.SecurityToken);
            // Like the Java client: sign only when both halves are present.
            if (!string.IsNullOrWhiteSpace(credentials.AccessKey) && !string.IsNullOrWhiteSpace(credentials.AccessSecret))
                headers.Add("authorization", RequestSigner.Authorization(credentials.AccessKey, credentials.AccessSecret, dateTime));
        }
        return headers;
    }
}
