using Apache.Rocketmq.V2;

namespace ActorProducer.Tests.Routing;

/// <summary>Builds route queues for the routing specs.</summary>
internal static class Queues
{
    /// <summary>A queue of <paramref name="broker"/> whose endpoints are <c>10.0.0.&lt;n&gt;:8081</c> for broker name <c>b&lt;n&gt;</c> (or 10.0.0.1).</summary>
    public static MessageQueue Queue(
        string broker,
        int id,
        Permission permission = Permission.ReadWrite,
        int brokerId = 0,
        string topic = "orders",
        params MessageType[] accepts)
    {
        var endpoints = new Endpoints { Scheme = AddressScheme.Ipv4 };
        endpoints.Addresses.Add(new Address { Host = HostOf(broker), Port = 8081 });
        var queue = new MessageQueue
        {
            Topic = new Resource { Name = topic },
            Id = id,
            Permission = permission,
            Broker = new Broker { Name = broker, Id = brokerId, Endpoints = endpoints },
        };
        queue.AcceptMessageTypes.Add(accepts.Length == 0 ? [MessageType.Normal] : accepts);
        return queue;
    }

    /// <summary>Queues from a layout like <c>"a0 b0 c0 a1"</c>: broker name letter, queue id digit.</summary>
    public static IReadOnlyList<MessageQueue> Layout(string layout) =>
        layout.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(q => Queue(q[..1], int.Parse(q[1..], System.Globalization.CultureInfo.InvariantCulture)))
            .ToArray();

    /// <summary>Short name of a queue, as in <see cref="Layout"/>.</summary>
    public static string Name(MessageQueue queue) => $"{queue.Broker.Name}{queue.Id}";

    public static string HostOf(string broker) => $"10.0.0.{broker[0] - 'a' + 1}";
}
