using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Apache.Rocketmq.V2;

namespace ActorProducer.Settings;

/// <summary>One <c>host:port</c> of an <see cref="AccessPoint"/>. IPv6 hosts are kept without brackets.</summary>
/// <param name="Host">IPv4 address, IPv6 address (no brackets) or domain name.</param>
/// <param name="Port">TCP port, 1..65535.</param>
public sealed record AccessPointAddress(string Host, int Port)
{
    /// <summary><c>host:port</c>, with an IPv6 host in brackets.</summary>
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}

/// <summary>
/// A set of proxy addresses sharing one scheme: the configured access point, or the endpoints of a broker in a
/// route. Parsed like the official Java client (behavior.md §1.1). Two values are equal when their
/// <see cref="Facade"/> is (same scheme, same ordered addresses); the facade keys the per-endpoint channel,
/// telemetry stream and isolation set.
/// </summary>
/// <param name="Scheme">IPv4, IPv6 or DOMAIN_NAME.</param>
/// <param name="Addresses">One or more addresses; a domain-name access point has exactly one.</param>
public sealed record AccessPoint(AddressScheme Scheme, IReadOnlyList<AccessPointAddress> Addresses)
{
    /// <summary>The configuration key whose value <see cref="Parse"/> reads; named in every parse error.</summary>
    public const string SettingName = "akka.rocketmq.producer.endpoints";

    /// <summary>Port used when a single address has none (the official clients' default; the proxy's gRPC port is usually 8081).</summary>
    public const int DefaultPort = 80;

    private const string ExpectedForm = "host:port;host:port (e.g. 127.0.0.1:8081, or proxy.example.com:8081 for a single domain name)";

    // Java's IPv4 pattern without its trailing '*' quirk (which also accepted "1.2.3." and "1.2.3.44255").
    private static readonly Regex Ipv4 = new(
        @"^(([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\.){3}([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])$",
        RegexOptions.CultureInvariant);

    private readonly string _facade = BuildFacade(Scheme, Addresses);

    /// <summary>IPv4, IPv6 or DOMAIN_NAME.</summary>
    public AddressScheme Scheme { get; } = Scheme;

    /// <summary>The addresses, in the configured (or server-given) order.</summary>
    public IReadOnlyList<AccessPointAddress> Addresses { get; } = Addresses.ToArray();

    /// <summary>
    /// Scheme prefix plus the comma-joined addresses, e.g. <c>ipv4:10.0.0.1:8081,10.0.0.2:8081</c>,
    /// <c>ipv6:[::1]:8081</c> or <c>dns:proxy:8081</c>: the identity of this value.
    /// </summary>
    public string Facade => _facade;

    /// <summary>
    /// Parses the <c>endpoints</c> setting: <c>host:port[;host:port...]</c>, an optional <c>http://</c> or
    /// <c>https://</c> prefix (which does not switch TLS), port 80 when a single address has none. Several
    /// addresses must all be IPv4 or all IPv6 literals; a domain name must stand alone.
    /// </summary>
    /// <exception cref="FormatException">The value is empty or malformed; the message names the setting, the value and the expected form.</exception>
    public static AccessPoint Parse(string endpoints)
    {
        if (string.IsNullOrWhiteSpace(endpoints))
            throw Invalid(endpoints, "it is empty; it must name the RocketMQ proxy");

        var text = StripHttpPrefix(endpoints.Trim());
        var parts = text.Split(';');
        if (parts.Length == 1)
        {
            var (host, port) = SplitHostPort(endpoints, parts[0].Trim(), portRequired: false);
            return new AccessPoint(Classify(endpoints, host), [new AccessPointAddress(host, port)]);
        }

        var addresses = new AccessPointAddress[parts.Length];
        AddressScheme? scheme = null;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i].Trim();
            if (part.Length == 0)
                throw Invalid(endpoints, $"address {i + 1} of {parts.Length} is empty (stray ';')");
            var (host, port) = SplitHostPort(endpoints, part, portRequired: true);
            var kind = Classify(endpoints, host);
            if (kind == AddressScheme.DomainName)
                throw Invalid(endpoints, $"'{host}' is a domain name; a list of several addresses must be IP addresses (use one domain name on its own)");
            if (scheme is { } first && first != kind)
                throw Invalid(endpoints, "it mixes IPv4 and IPv6 addresses; use one kind");
            scheme = kind;
            addresses[i] = new AccessPointAddress(host, port);
        }
        return new AccessPoint(scheme!.Value, addresses);
    }

    /// <summary>Reads endpoints sent by the server (route broker endpoints).</summary>
    /// <exception cref="ArgumentException">No address, or several addresses under a domain-name (or unspecified) scheme.</exception>
    public static AccessPoint FromProto(Endpoints endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.Addresses.Count == 0)
            throw new ArgumentException("The server sent endpoints without any address.", nameof(endpoints));
        var scheme = endpoints.Scheme is AddressScheme.Ipv4 or AddressScheme.Ipv6 ? endpoints.Scheme : AddressScheme.DomainName;
        if (scheme == AddressScheme.DomainName && endpoints.Addresses.Count > 1)
            throw new ArgumentException(
                $"The server sent {endpoints.Addresses.Count} domain-name addresses in one endpoints value; only one is allowed.",
                nameof(endpoints));
        return new AccessPoint(scheme, endpoints.Addresses.Select(a => new AccessPointAddress(a.Host, a.Port)).ToArray());
    }

    /// <summary>The protobuf form, for <c>QueryRouteRequest.endpoints</c> and <c>Settings.access_point</c>.</summary>
    public Endpoints ToProto()
    {
        var proto = new Endpoints { Scheme = Scheme };
        foreach (var a in Addresses) proto.Addresses.Add(new Address { Host = a.Host, Port = a.Port });
        return proto;
    }

    /// <summary><c>http(s)://host:port</c> of the first address (IPv6 in brackets): the gRPC channel address.</summary>
    public Uri ToUri(bool tls) => new UriBuilder(tls ? Uri.UriSchemeHttps : Uri.UriSchemeHttp, Addresses[0].Host, Addresses[0].Port).Uri;

    /// <summary>Equal when the facades are equal: same scheme, same addresses in the same order.</summary>
    public bool Equals(AccessPoint? other) => other is not null && string.Equals(_facade, other._facade, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_facade);

    /// <summary>The <see cref="Facade"/>.</summary>
    public override string ToString() => _facade;

    private static string BuildFacade(AddressScheme scheme, IReadOnlyList<AccessPointAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        if (addresses.Count == 0) throw new ArgumentException("An access point needs at least one address.", nameof(addresses));
        var prefix = scheme switch
        {
            AddressScheme.Ipv4 => "ipv4:",
            AddressScheme.Ipv6 => "ipv6:",
            _ => "dns:",
        };
        return prefix + string.Join(',', addresses);
    }

    private static string StripHttpPrefix(string text)
    {
        foreach (var prefix in (ReadOnlySpan<string>)["http://", "https://"])
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return text[prefix.Length..];
        }
        return text;
    }

    private static (string Host, int Port) SplitHostPort(string original, string address, bool portRequired)
    {
        if (address.Length == 0) throw Invalid(original, "it has no host");

        // [v6]:port or [v6]
        if (address[0] == '[')
        {
            var close = address.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) throw Invalid(original, $"'{address}' opens '[' without closing it");
            var host = address[1..close];
            var rest = address[(close + 1)..];
            if (rest.Length == 0)
            {
                if (portRequired) throw Invalid(original, $"'{address}' has no port");
                return (host, DefaultPort);
            }
            if (rest[0] != ':') throw Invalid(original, $"'{address}' has '{rest}' after ']'; expected ':port'");
            return (host, ParsePort(original, address, rest[1..]));
        }

        // Split at the last ':' like Java (a bare IPv6 literal keeps its colons in the host).
        var colon = address.LastIndexOf(':');
        if (colon < 0)
        {
            if (portRequired) throw Invalid(original, $"'{address}' has no port; every address of a list needs one");
            return (address, DefaultPort);
        }
        if (colon == 0) throw Invalid(original, $"'{address}' has no host before ':'");
        return (address[..colon], ParsePort(original, address, address[(colon + 1)..]));
    }

    private static int ParsePort(string original, string address, string port)
    {
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 65535)
            throw Invalid(original, $"'{address}' has port '{port}'; a port is a number from 1 to 65535");
        return value;
    }

    /// <summary>IPv4 pattern → IPv4; an IPv6 literal → IPv6; a valid domain name → DOMAIN_NAME; anything else is refused.</summary>
    private static AddressScheme Classify(string original, string host)
    {
        if (Ipv4.IsMatch(host)) return AddressScheme.Ipv4;
        if (host.Contains(':', StringComparison.Ordinal)
            && IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6)
            return AddressScheme.Ipv6;
        if (IsDomainName(host)) return AddressScheme.DomainName;
        var hint = host.Contains(':', StringComparison.Ordinal) ? " (write an IPv6 address in brackets: [::1]:8081)" : "";
        throw Invalid(original, $"'{host}' is not an IPv4 address, an IPv6 address or a domain name{hint}");
    }

    /// <summary>Guava's <c>InternetDomainName.isValid</c> rules, as used by the Java client.</summary>
    internal static bool IsDomainName(string host)
    {
        var name = host.EndsWith('.') ? host[..^1] : host;
        if (name.Length is 0 or > 253) return false;
        var labels = name.Split('.');
        if (labels.Length > 127) return false;
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (label.Length is 0 or > 63) return false;
            foreach (var c in label)
            {
                if (c < 128 && !char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_') return false;
            }
            if (label[0] is '-' or '_' || label[^1] is '-' or '_') return false;
            if (i == labels.Length - 1 && char.IsAsciiDigit(label[0])) return false;
        }
        return true;
    }

    private static FormatException Invalid(string? value, string reason) =>
        new($"{SettingName} = \"{value}\" is invalid: {reason}. Expected {ExpectedForm}.");
}
