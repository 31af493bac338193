using System.Net;
using System.Net.Sockets;
using Apache.Rocketmq.V2;
using Google.Protobuf.WellKnownTypes;

namespace ActorProducer.Testing;

/// <summary>The <see cref="Settings"/> an official producer sends on its telemetry stream (behavior.md §4.3).</summary>
public static class ProducerSettings
{
    public static Settings For(Endpoints accessPoint, params string[] topics) => For(accessPoint, "", topics);

    public static Settings For(Endpoints accessPoint, string resourceNamespace, IEnumerable<string> topics)
    {
        var publishing = new Publishing { ValidateMessageType = true };
        publishing.Topics.AddRange(topics.Select(t => new Resource { ResourceNamespace = resourceNamespace, Name = t }));
        return new Settings
        {
            ClientType = ClientType.Producer,
            AccessPoint = accessPoint.Clone(),
            RequestTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(3)),
            BackoffPolicy = new RetryPolicy
            {
                MaxAttempts = 3,
                ExponentialBackoff = new ExponentialBackoff
                {
                    Initial = Duration.FromTimeSpan(TimeSpan.Zero),
                    Max = Duration.FromTimeSpan(TimeSpan.Zero),
                    Multiplier = 1,
                },
            },
            Publishing = publishing,
            UserAgent = new UA
            {
                Language = Language.DotNet,
                Version = "0.1.0-test",
                Platform = Environment.OSVersion.ToString(),
                Hostname = Environment.MachineName,
            },
        };
    }
}

/// <summary>Access-point strings (<c>host:port</c>) as protobuf <see cref="Endpoints"/> (behavior.md §1.1).</summary>
public static class AccessPoints
{
    public static Endpoints Parse(string hostPort)
    {
        var (host, port) = Split(hostPort);
        var scheme = IPAddress.TryParse(host, out var ip)
            ? ip.AddressFamily == AddressFamily.InterNetworkV6 ? AddressScheme.Ipv6 : AddressScheme.Ipv4
            : AddressScheme.DomainName;
        return new Endpoints { Scheme = scheme, Addresses = { new Address { Host = host, Port = port } } };
    }

    public static (string Host, int Port) Split(string hostPort)
    {
        var colon = hostPort.LastIndexOf(':');
        return (hostPort[..colon], int.Parse(hostPort[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
