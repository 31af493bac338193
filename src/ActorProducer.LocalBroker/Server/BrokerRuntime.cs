using ActorProducer.LocalBroker.Brokers;
using ActorProducer.LocalBroker.Clients;
using ActorProducer.LocalBroker.Faults;
using ActorProducer.LocalBroker.Inspection;
using ActorProducer.LocalBroker.Store;
using ActorProducer.LocalBroker.Topics;
using ActorProducer.LocalBroker.Transactions;

namespace ActorProducer.LocalBroker.Server;

/// <summary>
/// Everything a LocalBroker knows, shared by all its ports and kept across StopAsync/RestartAsync:
/// the "broker" side (topics, store, half messages) and the "proxy" side (clients, transaction data).
/// </summary>
internal sealed class BrokerRuntime : IDisposable
{
    public BrokerRuntime(LocalBrokerOptions options)
    {
        Options = options;
        Time = options.TimeProvider;
        Cluster = new BrokerCluster(options.BrokerCount);
        Topics = new TopicRegistry(Cluster.All, options);
        Clients = new ClientRegistry();
        Transactions = new TransactionManager(Cluster, Clients, options, Time);
        Faults = new FaultInjector(Cluster, Clients);
        foreach (var topic in options.Topics)
        {
            Topics.Add(topic);
        }
    }

    public LocalBrokerOptions Options { get; }

    public TimeProvider Time { get; }

    public BrokerCluster Cluster { get; }

    public TopicRegistry Topics { get; }

    public RecallIndex Recalls { get; } = new();

    public ClientRegistry Clients { get; }

    public TransactionManager Transactions { get; }

    public FaultInjector Faults { get; }

    public RequestLog Requests { get; } = new();

    /// <summary>
    /// The server process went away: streams end, and what only the proxy kept in memory (client Settings,
    /// transaction data) is lost. The store and the half messages are the broker's and stay.
    /// </summary>
    public void ForgetProxyMemory()
    {
        Clients.DropStreams(_ => true, "LocalBroker stopped");
        Clients.ForgetRegistrations();
        Transactions.ForgetTransactionData();
    }

    /// <summary>Writes a request-log entry.</summary>
    public void Record(string rpcName, SimulatedBroker broker, RequestHeaders headers, Apache.Rocketmq.V2.Code code, string message) =>
        Requests.Add(new RequestLogEntry(Time.GetUtcNow(), rpcName, broker.Name, headers.ClientId, code, message, headers.All));

    public void Dispose() => Transactions.Dispose();
}
