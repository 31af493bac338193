// ActorProducer transactional messages: an order service writes each order to SQLite and publishes "order created"
// in the same transaction. It crashes between the two, and a new node's transaction checker recovers from the
// database. Runs on an embedded LocalBroker; exit code 0 only if the recovery worked.
using ActorProducer.Samples.Transactions;

return await RecoveryDemo.RunAsync();
