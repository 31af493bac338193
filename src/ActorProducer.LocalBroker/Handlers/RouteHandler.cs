using ActorProducer.LocalBroker.Server;
using ActorProducer.LocalBroker.Validation;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Handlers;

/// <summary>
/// QueryRoute (behavior.md §7.2): for every broker listed in routes, <c>QueueCount</c> queues with ids 0..N-1,
/// the topic's permission, broker {name, id 0, endpoints} and the topic type's accept_message_types.
/// </summary>
internal sealed class RouteHandler(BrokerRuntime runtime)
{
    public QueryRouteResponse Handle(CallInfo call, QueryRouteRequest request)
    {
        var topic = request.Topic ?? new Resource();
        TopicNameRules.Validate(topic.Name);
        var state = runtime.Topics.FindOrAutoCreate(topic.Name)
            ?? throw new ProxyException(Code.TopicNotFound, $"No topic route info in name server for the topic: {topic.Name}");

        var response = new QueryRouteResponse { Status = Statuses.Ok };
        foreach (var simulated in runtime.Cluster.All)
        {
            if (!simulated.IsListedInRoute)
            {
                continue;
            }

            var broker = new Broker
            {
                Name = simulated.Name,
                Id = 0,
                Endpoints = RouteEndpoints.For(request.Endpoints, simulated.Port, runtime.Options.ListenAddress),
            };
            for (var queueId = 0; queueId < state.Definition.QueueCount; queueId++)
            {
                var queue = new MessageQueue { Topic = topic, Id = queueId, Permission = state.Definition.Permission, Broker = broker };
                queue.AcceptMessageTypes.AddRange(state.AcceptMessageTypes);
                response.MessageQueues.Add(queue);
            }
        }

        return response;
    }
}
