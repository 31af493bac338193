namespace ActorProducer.Conformance.Tests.Infrastructure;

/// <summary>Optional credentials a scenario signs its requests with (passed through the environment, not argv).</summary>
public sealed record NodeCredentials(string AccessKey, string AccessSecret);

/// <summary>Runs the scripts of <c>node/scenarios</c> against one LocalBroker endpoint.</summary>
public sealed class NodeScenarioRunner(string nodeDirectory, string endpoint)
{
    /// <summary>Upper bound for one node process; scripts have their own (shorter) watchdog, see <c>--timeout-ms</c>.</summary>
    public static TimeSpan ProcessTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs <c>node scenarios/&lt;scenario&gt;.js --endpoint &lt;broker&gt; --topic &lt;topic&gt; [arguments]</c>.
    /// Pass <c>--expect failure</c> in <paramref name="arguments"/> when the scenario is meant to fail.
    /// </summary>
    public async Task<NodeRun> RunAsync(string scenario, string topic, IEnumerable<string>? arguments = null, NodeCredentials? credentials = null)
    {
        var argv = new List<string> { Path.Combine("scenarios", scenario + ".js"), "--endpoint", endpoint, "--topic", topic };
        argv.AddRange(arguments ?? []);
        var environment = new Dictionary<string, string>
        {
            // The client's default logger writes to ~/logs; the harness logs to stderr instead, and this keeps
            // grpc-js quiet unless something is wrong.
            ["GRPC_VERBOSITY"] = "ERROR",
            ["ROCKETMQ_ACCESS_KEY"] = credentials?.AccessKey ?? "",
            ["ROCKETMQ_ACCESS_SECRET"] = credentials?.AccessSecret ?? "",
        };
        var run = await ProcessRunner.RunAsync("node", argv, nodeDirectory, environment, ProcessTimeout);
        return new NodeRun(scenario, argv, run);
    }
}
