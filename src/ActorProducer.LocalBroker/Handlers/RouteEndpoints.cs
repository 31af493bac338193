using System.Net;
using System.Net.Sockets;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Handlers;

/// <summary>
/// The endpoints a route names for one broker. Like the proxy (RouteActivity.convertToAddressList), the hosts and
/// scheme are those of the request's <c>endpoints</c> with the port replaced — here by the broker's own port — so a
/// client reaches every broker under the name it already uses for the access point. Unlike the proxy, an absent or
/// unspecified request value falls back to the listen address and a concrete scheme (a route never says UNSPECIFIED).
/// </summary>
internal static class RouteEndpoints
{
    public static Endpoints For(Endpoints? requested, int port, IPAddress listenAddress)
    {
        var endpoints = new Endpoints();
        if (requested is not null)
        {
            foreach (var address in requested.Addresses)
            {
                if (!string.IsNullOrEmpty(address.Host) && !ContainsHost(endpoints, address.Host))
                {
                    endpoints.Addresses.Add(new Address { Host = address.Host, Port = port });
                }
            }
        }

        if (endpoints.Addresses.Count == 0)
        {
            endpoints.Addresses.Add(new Address { Host = LoopbackFor(listenAddress).ToString(), Port = port });
        }

        endpoints.Scheme = requested?.Scheme is AddressScheme.Ipv4 or AddressScheme.Ipv6 or AddressScheme.DomainName
            ? requested.Scheme
            : SchemeOf(endpoints.Addresses[0].Host);
        if (endpoints.Scheme == AddressScheme.DomainName && endpoints.Addresses.Count > 1)
        {
            // Clients reject a domain-name endpoints value with several addresses.
            var first = endpoints.Addresses[0];
            endpoints.Addresses.Clear();
            endpoints.Addresses.Add(first);
        }

        return endpoints;
    }

    /// <summary>The address clients dial for a listen address (a wildcard listens on loopback too).</summary>
    public static IPAddress LoopbackFor(IPAddress listenAddress) =>
        listenAddress.Equals(IPAddress.Any) ? IPAddress.Loopback
        : listenAddress.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
        : listenAddress;

    private static bool ContainsHost(Endpoints endpoints, string host)
    {
        foreach (var address in endpoints.Addresses)
        {
            if (address.Host == host)
            {
                return true;
            }
        }

        return false;
    }

    private static AddressScheme SchemeOf(string host) =>
        IPAddress.TryParse(host, out var ip)
            ? ip.AddressFamily == AddressFamily.InterNetworkV6 ? AddressScheme.Ipv6 : AddressScheme.Ipv4
            : AddressScheme.DomainName;
}
