using ActorProducer.Settings;
using ActorProducer.Transport;
using Grpc.Core;

namespace ActorProducer.Tests.Transport;

public sealed class RequestMetadataSpec
{
    private sealed class RotatingCredentials : ICredentialsProvider
    {
        public SessionCredentials? Current { get; set; }
        public SessionCredentials? GetCredentials() => Current;
    }

    private static string Value(Metadata headers, string key) =>
        Assert.Single(headers, e => e.Key == key).Value;

    [Fact]
    public void Every_request_carries_the_fixed_headers_and_its_own_request_id()
    {
        var metadata = new RequestMetadata(new ClientIdentity("client-1", "ns", null));

        var first = metadata.Next();
        var second = metadata.Next();

        foreach (var headers in new[] { first, second })
        {
            Assert.Equal("DOTNET", Value(headers, "x-mq-language"));
            Assert.Equal("v2", Value(headers, "x-mq-protocol"));
            Assert.Equal(ClientIdentity.ClientVersion, Value(headers, "x-mq-client-version"));
            Assert.Equal("client-1", Value(headers, "x-mq-client-id"));
            Assert.Equal("ns", Value(headers, "x-mq-namespace"));
            Assert.Matches("^[0-9]{8}T[0-9]{6}Z$", Value(headers, "x-mq-date-time"));
            Assert.True(Guid.TryParse(Value(headers, "x-mq-request-id"), out _));
            Assert.DoesNotContain(headers, e => e.Key == "authorization");
        }
        Assert.NotEqual(Value(first, "x-mq-request-id"), Value(second, "x-mq-request-id"));
    }

    [Fact]
    public void The_signature_is_of_the_date_time_sent_with_it_and_follows_rotated_credentials()
    {
        var credentials = new RotatingCredentials { Current = new SessionCredentials("AK1", "secret-1", "token-1") };
        var metadata = new RequestMetadata(new ClientIdentity("client-1", "", credentials));

        var signed = metadata.Next();
        Assert.Equal(RequestSigner.Authorization("AK1", "secret-1", Value(signed, "x-mq-date-time")), Value(signed, "authorization"));
        Assert.Equal("token-1", Value(signed, "x-mq-session-token"));

        credentials.Current = new SessionCredentials("AK2", "secret-2");
        var rotated = metadata.Next();
        Assert.Equal(RequestSigner.Authorization("AK2", "secret-2", Value(rotated, "x-mq-date-time")), Value(rotated, "authorization"));
        Assert.DoesNotContain(rotated, e => e.Key == "x-mq-session-token");

        credentials.Current = null;
        Assert.DoesNotContain(metadata.Next(), e => e.Key == "authorization");
    }
}
