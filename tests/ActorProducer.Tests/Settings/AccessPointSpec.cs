using ActorProducer.Settings;
using Apache.Rocketmq.V2;

namespace ActorProducer.Tests.Settings;

public sealed class AccessPointSpec
{
    public static TheoryData<string, AddressScheme, string> ValidEndpoints => new()
    {
        { "127.0.0.1:8081", AddressScheme.Ipv4, "ipv4:127.0.0.1:8081" },
        { "10.0.0.1:8081;10.0.0.2:8082", AddressScheme.Ipv4, "ipv4:10.0.0.1:8081,10.0.0.2:8082" },
        { "10.0.0.1", AddressScheme.Ipv4, "ipv4:10.0.0.1:80" },
        { "localhost:8081", AddressScheme.DomainName, "dns:localhost:8081" },
        { "proxy.example.com", AddressScheme.DomainName, "dns:proxy.example.com:80" },
        { "rmq-proxy.ns.svc.cluster.local:8081", AddressScheme.DomainName, "dns:rmq-proxy.ns.svc.cluster.local:8081" },
        { "my_host:8081", AddressScheme.DomainName, "dns:my_host:8081" },
        { "http://proxy.example.com:8081", AddressScheme.DomainName, "dns:proxy.example.com:8081" },
        { "https://10.0.0.1:9876", AddressScheme.Ipv4, "ipv4:10.0.0.1:9876" },
        { "HTTP://10.0.0.1:9876", AddressScheme.Ipv4, "ipv4:10.0.0.1:9876" },
        { "  127.0.0.1:8081  ", AddressScheme.Ipv4, "ipv4:127.0.0.1:8081" },
        { "10.0.0.1:8081 ; 10.0.0.2:8081", AddressScheme.Ipv4, "ipv4:10.0.0.1:8081,10.0.0.2:8081" },
        { "[::1]:8081", AddressScheme.Ipv6, "ipv6:[::1]:8081" },
        { "[::1]", AddressScheme.Ipv6, "ipv6:[::1]:80" },
        { "::1:8081", AddressScheme.Ipv6, "ipv6:[::1]:8081" }, // Java splits at the last ':'
        { "[fe80::1]:8081;[fe80::2]:8082", AddressScheme.Ipv6, "ipv6:[fe80::1]:8081,[fe80::2]:8082" },
        { "10.0.0.1:1", AddressScheme.Ipv4, "ipv4:10.0.0.1:1" },
        { "10.0.0.1:65535", AddressScheme.Ipv4, "ipv4:10.0.0.1:65535" },
    };

    [Theory]
    [MemberData(nameof(ValidEndpoints))]
    public void Parses_the_endpoints_grammar_of_section_1_1(string endpoints, AddressScheme scheme, string facade)
    {
        var ap = AccessPoint.Parse(endpoints);
        Assert.Equal(scheme, ap.Scheme);
        Assert.Equal(facade, ap.Facade);
    }

    [Fact]
    public void Keeps_every_address_of_a_list_in_order()
    {
        var ap = AccessPoint.Parse("10.0.0.2:8082;10.0.0.1:8081");
        Assert.Equal([new AccessPointAddress("10.0.0.2", 8082), new AccessPointAddress("10.0.0.1", 8081)], ap.Addresses);
    }

    [Fact]
    public void IPv6_hosts_are_kept_without_brackets() =>
        Assert.Equal("::1", AccessPoint.Parse("[::1]:8081").Addresses[0].Host);

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("   ", "it is empty")]
    [InlineData("proxy:", "port ''")]
    [InlineData("proxy:abc", "port 'abc'")]
    [InlineData("proxy:0", "port '0'")]
    [InlineData("proxy:65536", "port '65536'")]
    [InlineData("proxy:-1", "port '-1'")]
    [InlineData("proxy: 8081", "port ' 8081'")]
    [InlineData("a.example.com:8081;b.example.com:8081", "domain name")]
    [InlineData("10.0.0.1:8081;proxy:8081", "domain name")]
    [InlineData("10.0.0.1:8081;[::1]:8081", "mixes IPv4 and IPv6")]
    [InlineData("10.0.0.1:8081;10.0.0.2", "has no port")]
    [InlineData("10.0.0.1:8081;", "is empty")]
    [InlineData(":8081", "no host")]
    [InlineData("bad host:8081", "'bad host' is not")]
    [InlineData("-bad.example.com:8081", "is not")]
    [InlineData("256.1.1.1:8081", "is not")]
    [InlineData("::1", "brackets")]
    [InlineData("[::1:8081", "without closing")]
    [InlineData("[::1]x", "after ']'")]
    public void Rejects_malformed_endpoints_naming_setting_value_and_expected_form(string endpoints, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => AccessPoint.Parse(endpoints));
        Assert.Contains("akka.rocketmq.producer.endpoints", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{endpoints}\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("host:port;host:port", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_endpoints_are_rejected_like_empty_ones() =>
        Assert.Throws<FormatException>(() => AccessPoint.Parse(null!));

    [Fact]
    public void Equal_when_scheme_and_ordered_addresses_are_equal()
    {
        var parsed = AccessPoint.Parse("10.0.0.1:8081;10.0.0.2:8081");
        var built = new AccessPoint(AddressScheme.Ipv4, [new("10.0.0.1", 8081), new("10.0.0.2", 8081)]);

        Assert.Equal(parsed, built);
        Assert.Equal(parsed.GetHashCode(), built.GetHashCode());
        Assert.True(parsed == built);
        Assert.Contains(built, new HashSet<AccessPoint> { parsed });
    }

    [Theory]
    [InlineData("10.0.0.1:8081;10.0.0.2:8081", "10.0.0.2:8081;10.0.0.1:8081")]
    [InlineData("10.0.0.1:8081", "10.0.0.1:8082")]
    [InlineData("10.0.0.1:8081", "10.0.0.1:8081;10.0.0.2:8081")]
    [InlineData("localhost:8081", "127.0.0.1:8081")]
    public void Not_equal_when_order_addresses_or_scheme_differ(string left, string right) =>
        Assert.NotEqual(AccessPoint.Parse(left), AccessPoint.Parse(right));

    [Theory]
    [InlineData("127.0.0.1:8081")]
    [InlineData("10.0.0.1:8081;10.0.0.2:8082")]
    [InlineData("proxy.example.com:8081")]
    [InlineData("[::1]:8081")]
    public void Survives_a_round_trip_through_protobuf(string endpoints)
    {
        var ap = AccessPoint.Parse(endpoints);
        var proto = ap.ToProto();

        Assert.Equal(ap.Scheme, proto.Scheme);
        Assert.Equal(ap.Addresses.Select(a => (a.Host, a.Port)), proto.Addresses.Select(a => (a.Host, a.Port)));
        Assert.Equal(ap, AccessPoint.FromProto(proto));
    }

    [Fact]
    public void Server_endpoints_without_any_address_are_rejected() =>
        Assert.Throws<ArgumentException>(() => AccessPoint.FromProto(new Endpoints { Scheme = AddressScheme.Ipv4 }));

    [Theory]
    [InlineData(AddressScheme.DomainName)]
    [InlineData(AddressScheme.Unspecified)]
    public void Server_endpoints_with_several_domain_names_are_rejected(AddressScheme scheme)
    {
        var proto = new Endpoints { Scheme = scheme };
        proto.Addresses.Add(new Address { Host = "a", Port = 1 });
        proto.Addresses.Add(new Address { Host = "b", Port = 1 });
        Assert.Throws<ArgumentException>(() => AccessPoint.FromProto(proto));
    }

    [Fact]
    public void Server_endpoints_with_an_unspecified_scheme_are_a_domain_name()
    {
        var proto = new Endpoints();
        proto.Addresses.Add(new Address { Host = "proxy", Port = 8081 });
        Assert.Equal("dns:proxy:8081", AccessPoint.FromProto(proto).Facade);
    }

    [Theory]
    [InlineData("127.0.0.1:8081", false, "http://127.0.0.1:8081/")]
    [InlineData("127.0.0.1:8081", true, "https://127.0.0.1:8081/")]
    [InlineData("10.0.0.1:8081;10.0.0.2:8082", false, "http://10.0.0.1:8081/")]
    [InlineData("proxy.example.com:8081", true, "https://proxy.example.com:8081/")]
    [InlineData("[::1]:8081", false, "http://[::1]:8081/")]
    [InlineData("https://proxy:8081", false, "http://proxy:8081/")] // the prefix does not switch TLS
    public void Channel_uri_is_the_first_address_with_the_tls_scheme(string endpoints, bool tls, string expected) =>
        Assert.Equal(expected, AccessPoint.Parse(endpoints).ToUri(tls).ToString());

    [Fact]
    public void Changing_the_given_address_list_afterwards_changes_nothing()
    {
        var list = new List<AccessPointAddress> { new("10.0.0.1", 8081) };
        var ap = new AccessPoint(AddressScheme.Ipv4, list);
        list.Add(new("10.0.0.2", 8081));

        Assert.Single(ap.Addresses);
        Assert.Equal("ipv4:10.0.0.1:8081", ap.Facade);
    }

    [Fact]
    public void An_access_point_needs_an_address() =>
        Assert.Throws<ArgumentException>(() => new AccessPoint(AddressScheme.Ipv4, []));

    [Fact]
    public void Prints_as_its_facade() =>
        Assert.Equal("dns:proxy:8081", AccessPoint.Parse("proxy:8081").ToString());

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("a.b-c.example", true)]
    [InlineData("my_host", true)]
    [InlineData("example.com.", true)]
    [InlineData("example.123", false)]
    [InlineData("-a.com", false)]
    [InlineData("a-.com", false)]
    [InlineData("a..com", false)]
    [InlineData("a b", false)]
    [InlineData("", false)]
    public void Domain_names_follow_the_rules_the_Java_client_uses(string host, bool valid) =>
        Assert.Equal(valid, AccessPoint.IsDomainName(host));

    [Fact]
    public void Domain_labels_are_at_most_63_characters()
    {
        Assert.True(AccessPoint.IsDomainName(new string('a', 63) + ".com"));
        Assert.False(AccessPoint.IsDomainName(new string('a', 64) + ".com"));
    }
}
