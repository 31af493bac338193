using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;

namespace ActorProducer.Testing;

/// <summary>Access key, secret and optional STS token, as a producer's credentials provider returns them.</summary>
public sealed record RocketMqCredentials(string AccessKey, string AccessSecret, string? SecurityToken = null);

/// <summary>
/// The RocketMQ request headers a test client attaches to every call (behavior.md §2.1).
/// A <c>null</c> value omits that header; <see cref="Overrides"/> replaces or removes any header last,
/// so negative tests can send exactly the corrupt metadata they need.
/// </summary>
public sealed record RocketMqHeaders
{
    public const string ClientIdKey = "x-mq-client-id";
    public const string LanguageKey = "x-mq-language";
    public const string ProtocolKey = "x-mq-protocol";
    public const string ClientVersionKey = "x-mq-client-version";
    public const string DateTimeKey = "x-mq-date-time";
    public const string RequestIdKey = "x-mq-request-id";
    public const string NamespaceKey = "x-mq-namespace";
    public const string SessionTokenKey = "x-mq-session-token";
    public const string AuthorizationKey = "authorization";

    /// <summary>A fresh, valid header set with a new client id.</summary>
    public static RocketMqHeaders Default() => new();

    public string? ClientId { get; init; } = ClientIds.New();

    public string? Language { get; init; } = "DOTNET";

    public string? Protocol { get; init; } = "v2";

    public string? ClientVersion { get; init; } = "0.1.0-test";

    public string? Namespace { get; init; } = "";

    /// <summary>Fixed <c>x-mq-date-time</c> value; <c>null</c> = the current UTC time at each call.</summary>
    public string? DateTime { get; init; }

    /// <summary>Leave <c>x-mq-date-time</c> out (the signature is still computed over the would-be value).</summary>
    public bool OmitDateTime { get; init; }

    /// <summary>Sign requests with these credentials (behavior.md §2.2); <c>null</c> = no authorization header.</summary>
    public RocketMqCredentials? Credentials { get; init; }

    /// <summary>Render the signature in lower-case hex (the proxy decodes hex case-insensitively).</summary>
    public bool LowerCaseSignature { get; init; }

    /// <summary>Applied after everything else: a value replaces the header, <c>null</c> removes it.</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();

    /// <summary>A copy that sends <paramref name="value"/> for <paramref name="key"/>, whatever the other settings say.</summary>
    public RocketMqHeaders With(string key, string? value)
        => this with { Overrides = new Dictionary<string, string?>(Overrides) { [key] = value } };

    /// <summary>A copy that does not send <paramref name="key"/> at all.</summary>
    public RocketMqHeaders Without(string key) => With(key, null);

    /// <summary>The headers of one call (a new request id each time).</summary>
    public Metadata ToMetadata()
    {
        var values = new Dictionary<string, string?>
        {
            [ClientIdKey] = ClientId,
            [LanguageKey] = Language,
            [ProtocolKey] = Protocol,
            [ClientVersionKey] = ClientVersion,
            [RequestIdKey] = Guid.NewGuid().ToString(),
            [NamespaceKey] = Namespace,
        };

        var dateTime = DateTime ?? RocketMqSignature.FormatDateTime(System.DateTime.UtcNow);
        if (!OmitDateTime)
        {
            values[DateTimeKey] = dateTime;
        }

        if (Credentials is not null)
        {
            values[AuthorizationKey] = RocketMqSignature.Authorization(
                Credentials.AccessKey, Credentials.AccessSecret, dateTime, LowerCaseSignature);
            if (!string.IsNullOrEmpty(Credentials.SecurityToken))
            {
                values[SessionTokenKey] = Credentials.SecurityToken;
            }
        }

        foreach (var (key, value) in Overrides)
        {
            values[key] = value;
        }

        var metadata = new Metadata();
        foreach (var (key, value) in values)
        {
            if (value is not null)
            {
                metadata.Add(key, value);
            }
        }

        return metadata;
    }
}

/// <summary>The MQv2-HMAC-SHA1 request signature (behavior.md §2.2): HMAC-SHA1(secret, x-mq-date-time) in hex.</summary>
public static class RocketMqSignature
{
    public const string Algorithm = "MQv2-HMAC-SHA1";

    /// <summary><c>yyyyMMddTHHmmssZ</c>, the x-mq-date-time format.</summary>
    public static string FormatDateTime(DateTime utc)
        => utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>HMAC-SHA1 of the UTF-8 date-time keyed by the UTF-8 secret, as 40 hex characters.</summary>
    public static string SignatureHex(string accessSecret, string dateTime, bool lowerCase = false)
    {
        var hash = HMACSHA1.HashData(Encoding.UTF8.GetBytes(accessSecret), Encoding.UTF8.GetBytes(dateTime));
        return lowerCase ? Convert.ToHexStringLower(hash) : Convert.ToHexString(hash);
    }

    /// <summary>The full <c>authorization</c> header value, with the clients' exact spacing.</summary>
    public static string Authorization(string accessKey, string accessSecret, string dateTime, bool lowerCase = false)
        => $"{Algorithm} Credential={accessKey}, SignedHeaders=x-mq-date-time, Signature={SignatureHex(accessSecret, dateTime, lowerCase)}";
}

/// <summary>Client ids in the official C# shape <c>host@pid@index@suffix</c> (behavior.md §3.1), unique per call.</summary>
public static class ClientIds
{
    private static int index;

    public static string New()
    {
        var suffix = ToBase36(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return $"{Environment.MachineName}@{Environment.ProcessId}@{Interlocked.Increment(ref index)}@{suffix}";
    }

    private static string ToBase36(long value)
    {
        const string digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var text = new StringBuilder();
        do
        {
            text.Insert(0, digits[(int)(value % 36)]);
            value /= 36;
        }
        while (value > 0);
        return text.ToString();
    }
}
