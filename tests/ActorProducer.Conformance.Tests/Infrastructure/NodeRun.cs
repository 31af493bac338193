using System.Text.Json.Nodes;
using Xunit.Sdk;

namespace ActorProducer.Conformance.Tests.Infrastructure;

/// <summary>
/// One finished scenario process: its exit code, the JSON result line it printed on stdout and the client's log
/// (stderr). Assertions about what the client saw go through this; every failure message carries the log.
/// </summary>
public sealed class NodeRun
{
    private const int MaxLogInMessage = 12_000;

    public NodeRun(string scenario, IReadOnlyList<string> argv, ProcessRun process)
    {
        Scenario = scenario;
        Argv = argv;
        Process = process;
        var lastLine = process.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        try
        {
            Result = lastLine is null ? null : JsonNode.Parse(lastLine) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            Result = null;
        }
    }

    public string Scenario { get; }
    public IReadOnlyList<string> Argv { get; }
    public ProcessRun Process { get; }

    /// <summary>The JSON result line, or null if the script printed none.</summary>
    public JsonObject? Result { get; }

    /// <summary>Whether the client reported success (<c>ok: true</c>).</summary>
    public bool Ok => Result?["ok"]?.GetValue<bool>() == true;

    /// <summary>The producer's client id (what LocalBroker sees in <c>x-mq-client-id</c>).</summary>
    public string ClientId => Required("clientId").GetValue<string>();

    /// <summary>RocketMQ status code of the client's error (null for local errors without one).</summary>
    public int? ErrorCode => Result?["error"]?["code"]?.GetValue<int?>();

    public string ErrorName => Result?["error"]?["name"]?.GetValue<string>() ?? "";
    public string ErrorMessage => Result?["error"]?["message"]?.GetValue<string>() ?? "";

    /// <summary>A field of the result, failing the test (with the client log) if it is missing.</summary>
    public JsonNode Required(string name)
        => Result?[name] ?? throw new XunitException($"The {Scenario} result has no '{name}'.\n{Diagnostics}");

    /// <summary>The scenario ended as it expected (exit code 0) and printed a result.</summary>
    public NodeRun ShouldHaveSucceeded()
    {
        if (Process.ExitCode != 0 || Result is null || !Ok)
        {
            throw new XunitException($"The Node client's {Scenario} scenario failed.\n{Diagnostics}");
        }

        return this;
    }

    /// <summary>The scenario was run with <c>--expect failure</c> and the client did fail.</summary>
    public NodeRun ShouldHaveFailed()
    {
        if (Process.ExitCode != 0 || Result is null || Ok)
        {
            throw new XunitException($"The Node client's {Scenario} scenario was expected to fail but did not end that way.\n{Diagnostics}");
        }

        return this;
    }

    /// <summary>Command line, exit code, result line and the client's log, for assertion messages.</summary>
    public string Diagnostics
    {
        get
        {
            var log = Process.Stderr.Length <= MaxLogInMessage
                ? Process.Stderr
                : "...(truncated)...\n" + Process.Stderr[^MaxLogInMessage..];
            return $"command: node {string.Join(' ', Argv)}\n" +
                   $"exit code: {Process.ExitCode}{(Process.TimedOut ? " (killed after timeout)" : "")}, took {Process.Elapsed.TotalMilliseconds:F0} ms\n" +
                   $"stdout:\n{Process.Stdout}\n" +
                   $"stderr (client log):\n{log}";
        }
    }
}
