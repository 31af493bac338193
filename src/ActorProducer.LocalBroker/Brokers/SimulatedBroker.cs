namespace ActorProducer.LocalBroker.Brokers;

/// <summary>
/// One simulated broker (broker-i) with its own port, like one proxy+broker pair of a cluster in local mode.
/// Its port is fixed after the first start so that a restart listens on the same one.
/// </summary>
internal sealed class SimulatedBroker(int index)
{
    private volatile bool down;
    private volatile bool keepInRoute;

    public int Index { get; } = index;

    public string Name { get; } = $"broker-{index}";

    /// <summary>Listening port; 0 until the first start bound it.</summary>
    public int Port { get; set; }

    /// <summary>Taken down by fault injection: calls on its port fail with gRPC UNAVAILABLE.</summary>
    public bool IsDown => down;

    /// <summary>Whether QueryRoute lists its queues (up, or down but not yet noticed by the name server).</summary>
    public bool IsListedInRoute => !down || keepInRoute;

    public void TakeDown(bool stayInRoute)
    {
        keepInRoute = stayInRoute;
        down = true;
    }

    public void BringUp()
    {
        down = false;
        keepInRoute = false;
    }
}
