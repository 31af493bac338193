using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;

namespace ActorProducer.Benchmarks.Comparison;

/// <summary>Where and how the figures were taken; printed above every table, since absolute numbers mean nothing without it.</summary>
internal sealed record MachineFacts(
    DateTime StartedUtc, string Command, string Cpu, int Cores, string Os, string Dotnet, string Gc, string Node,
    string LoadAtStart, string LoadAtEnd)
{
    public static MachineFacts Collect(string command) => new(
        DateTime.UtcNow, command, CpuModel(), Environment.ProcessorCount, RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription, GCSettings.IsServerGC ? "Server GC" : "Workstation GC", NodeVersion(),
        LoadAverage(), "");

    /// <summary>The same facts with the load average at the end (other processes on the machine skew the figures).</summary>
    public MachineFacts Finished() => this with { LoadAtEnd = LoadAverage() };

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                ?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    /// <summary>1/5/15-minute load averages (Linux); "n/a" elsewhere.</summary>
    private static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string NodeVersion()
    {
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true })!;
            var version = node.StandardOutput.ReadToEnd().Trim();
            node.WaitForExit();
            return version;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "not installed";
        }
    }
}
