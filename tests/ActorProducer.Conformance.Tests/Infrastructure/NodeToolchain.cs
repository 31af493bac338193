using System.Diagnostics;
using System.Text.Json;

namespace ActorProducer.Conformance.Tests.Infrastructure;

/// <summary>
/// Locates the Node scenario folder (<c>tests/ActorProducer.Conformance.Tests/node</c>) and makes sure its
/// <c>node_modules</c> were installed from the committed lock file. The install runs at most once per test run.
/// </summary>
public static class NodeToolchain
{
    /// <summary>The client version this suite is about; <c>node/package-lock.json</c> pins it.</summary>
    public const string ClientPackage = "rocketmq-client-nodejs";
    public const string ClientVersion = "1.0.8";

    private static readonly TimeSpan NpmCiTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<Task<string>> Installation = new(InstallAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Absolute path of the <c>node</c> folder; node_modules are ready when the task completes.</summary>
    public static Task<string> EnsureInstalledAsync() => Installation.Value;

    private static async Task<string> InstallAsync()
    {
        var nodeDirectory = FindNodeDirectory();
        if (InstalledClientVersion(nodeDirectory) == ClientVersion)
        {
            return nodeDirectory;
        }

        // Several test assemblies (processes) may get here at once on a new checkout: one installs, the others wait.
        using var installLock = await AcquireInstallLockAsync(nodeDirectory);
        if (InstalledClientVersion(nodeDirectory) == ClientVersion)
        {
            return nodeDirectory;
        }

        // Not installed (new checkout) or a different version: install exactly what the lock file says.
        var (fileName, arguments) = OperatingSystem.IsWindows()
            ? ("cmd.exe", new[] { "/c", "npm", "ci", "--no-audit", "--no-fund" })
            : ("npm", new[] { "ci", "--no-audit", "--no-fund" });
        var run = await ProcessRunner.RunAsync(fileName, arguments, nodeDirectory, environment: null, NpmCiTimeout);
        if (run.ExitCode != 0 || InstalledClientVersion(nodeDirectory) != ClientVersion)
        {
            throw new InvalidOperationException(
                $"`npm ci` in {nodeDirectory} did not install {ClientPackage}@{ClientVersion} " +
                $"(exit code {run.ExitCode}{(run.TimedOut ? ", timed out" : "")}). Is npm on PATH and the registry reachable?\n" +
                $"stdout:\n{run.Stdout}\nstderr:\n{run.Stderr}");
        }

        return nodeDirectory;
    }

    /// <summary>An exclusive lock file next to package.json, held for the install; released when disposed.</summary>
    private static async Task<FileStream> AcquireInstallLockAsync(string nodeDirectory)
    {
        var path = Path.Combine(nodeDirectory, ".npm-ci.lock");
        var giveUpAt = DateTime.UtcNow + NpmCiTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < giveUpAt)
            {
                await Task.Delay(250); // another process is installing: poll the lock, not a synchronisation of test logic
            }
        }
    }

    private static string? InstalledClientVersion(string nodeDirectory)
    {
        var manifest = Path.Combine(nodeDirectory, "node_modules", ClientPackage, "package.json");
        if (!File.Exists(manifest))
        {
            return null;
        }

        using var json = JsonDocument.Parse(File.ReadAllText(manifest));
        return json.RootElement.TryGetProperty("version", out var version) ? version.GetString() : null;
    }

    /// <summary>Walks up from the test assembly to the repository root (the folder holding ActorProducer.sln).</summary>
    private static string FindNodeDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ActorProducer.sln")))
            {
                var node = Path.Combine(directory.FullName, "tests", "ActorProducer.Conformance.Tests", "node");
                if (!File.Exists(Path.Combine(node, "package-lock.json")))
                {
                    throw new InvalidOperationException($"Found the repository root {directory.FullName} but no {node}/package-lock.json.");
                }

                return node;
            }
        }

        throw new InvalidOperationException(
            $"No ActorProducer.sln above {AppContext.BaseDirectory}: the conformance suite runs from a checkout of the repository.");
    }
}
