namespace ActorProducer.LocalBroker.Store;

/// <summary>What the proxy/broker add to a message when storing it.</summary>
/// <param name="ProducerClientId">x-mq-client-id of the sender.</param>
/// <param name="PeerAddress">The sender's address; the proxy's born_host when the client left it blank.</param>
/// <param name="StoreTime">Store timestamp.</param>
/// <param name="TransactionId">Transaction id of a half message, else null.</param>
internal readonly record struct StoreStamp(string ProducerClientId, string PeerAddress, DateTimeOffset StoreTime, string? TransactionId);
