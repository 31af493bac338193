using ActorProducer.LocalBroker.Server;
using ActorProducer.LocalBroker.Validation;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Handlers;

/// <summary>EndTransaction (behavior.md §6.3, §7.4): topic → transaction id → transaction data → one-way apply → OK.</summary>
internal sealed class EndTransactionHandler(BrokerRuntime runtime)
{
    public EndTransactionResponse Handle(CallInfo call, EndTransactionRequest request)
    {
        var topic = request.Topic?.Name ?? string.Empty;
        TopicNameRules.Validate(topic);
        if (TextRules.IsBlank(request.TransactionId))
        {
            throw new ProxyException(Code.InvalidTransactionId, "transaction id cannot be empty");
        }

        // The message id is not validated by the proxy.
        runtime.Transactions.End(topic, request.TransactionId, request.Resolution, request.Source);
        return new EndTransactionResponse { Status = Statuses.Ok };
    }
}
