using System.Net;

namespace ActorProducer.Ids;

/// <summary>
/// Client ids of the form <c>&lt;hostname&gt;@&lt;pid&gt;@&lt;index&gt;@&lt;suffix&gt;</c> (behavior.md §3.1, C# style):
/// the index counts producer instances in this process from 1, so two producers never share an id;
/// the suffix is the Unix epoch milliseconds in upper-case base 36.
/// </summary>
internal static class ClientIdGenerator
{
    private static int _index;
    private static readonly string HostName = ResolveHostName();
    private static readonly int ProcessId = Environment.ProcessId;

    /// <summary>A new, process-unique client id.</summary>
    public static string Next() =>
        Format(HostName, ProcessId, Interlocked.Increment(ref _index), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    internal static string Format(string host, int pid, int index, long epochMs) =>
        $"{host}@{pid}@{index}@{ToBase36(epochMs)}";

    internal static string ToBase36(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        if (value == 0) return "0";
        const string digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        Span<char> buffer = stackalloc char[13]; // long.MaxValue has 13 base-36 digits
        var pos = buffer.Length;
        while (value > 0)
        {
            buffer[--pos] = digits[(int)(value % 36)];
            value /= 36;
        }
        return new string(buffer[pos..]);
    }

    private static string ResolveHostName()
    {
        try
        {
            var name = Dns.GetHostName();
            return string.IsNullOrWhiteSpace(name) ? "HOST_NAME_NOT_FOUND" : name;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return "HOST_NAME_NOT_FOUND";
        }
    }
}
