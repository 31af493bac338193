using ActorProducer.LocalBroker.Brokers;
using ActorProducer.LocalBroker.Clients;
using Grpc.Core;

namespace ActorProducer.LocalBroker.Server;

/// <summary>An admitted call: which broker it reached, its headers and its client.</summary>
internal sealed class CallInfo(SimulatedBroker broker, RequestHeaders headers, ClientSession client, ServerCallContext context)
{
    private string? peerAddress;

    public SimulatedBroker Broker { get; } = broker;

    public RequestHeaders Headers { get; } = headers;

    public ClientSession Client { get; } = client;

    /// <summary>The caller's <c>host:port</c>, as the proxy's remote address.</summary>
    public string PeerAddress => peerAddress ??= FormatPeer(context);

    private static string FormatPeer(ServerCallContext context)
    {
        var connection = context.GetHttpContext().Connection;
        return connection.RemoteIpAddress is { } ip ? $"{ip}:{connection.RemotePort}" : context.Peer;
    }
}
