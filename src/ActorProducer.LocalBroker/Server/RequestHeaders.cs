using Grpc.Core;

namespace ActorProducer.LocalBroker.Server;

/// <summary>The RocketMQ headers of one call (behavior.md §2.1), read in a single pass over the metadata.</summary>
internal sealed class RequestHeaders
{
    public const string ClientIdKey = "x-mq-client-id";
    public const string LanguageKey = "x-mq-language";
    public const string ClientVersionKey = "x-mq-client-version";
    public const string DateTimeKey = "x-mq-date-time";
    public const string AuthorizationKey = "authorization";

    private RequestHeaders(IReadOnlyDictionary<string, string> all) => All = all;

    public string? ClientId { get; private init; }
    public string? Language { get; private init; }
    public string? ClientVersion { get; private init; }
    public string? DateTime { get; private init; }
    public string? Authorization { get; private init; }

    /// <summary>Every text header of the call (for the request log).</summary>
    public IReadOnlyDictionary<string, string> All { get; }

    public static RequestHeaders From(Metadata metadata)
    {
        var all = new Dictionary<string, string>(metadata.Count, StringComparer.Ordinal);
        foreach (var entry in metadata)
        {
            if (!entry.IsBinary)
            {
                all[entry.Key] = entry.Value;
            }
        }

        return new RequestHeaders(all)
        {
            ClientId = all.GetValueOrDefault(ClientIdKey),
            Language = all.GetValueOrDefault(LanguageKey),
            ClientVersion = all.GetValueOrDefault(ClientVersionKey),
            DateTime = all.GetValueOrDefault(DateTimeKey),
            Authorization = all.GetValueOrDefault(AuthorizationKey),
        };
    }
}
