namespace ActorProducer.LocalBroker.Cli;

/// <summary>The standalone command line: parses options, starts LocalBroker, runs until Ctrl+C.</summary>
public static class LocalBrokerCommandLine
{
    public static Task<int> RunAsync(string[] args) => throw new NotImplementedException();
}
