using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.NetworkInformation;
using System.Security.Cryptography;

namespace ActorProducer.Ids;

/// <summary>
/// Version-01 message ids (behavior.md §3.2): <c>01</c> + 16 bytes in upper-case hex, 34 characters:
/// MAC (6) | low 2 bytes of the pid | seconds since 2021-01-01Z (4) | sequence (4), all big-endian.
/// Generated once per message before the first attempt and reused on every retry.
/// </summary>
/// <remarks>On the send hot path: one string allocation per id, no locks.</remarks>
internal static class MessageIdGenerator
{
    public const int Length = 34;

    private static readonly DateTimeOffset Epoch = new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Wall-clock offset taken once; later seconds come from the monotonic Stopwatch, so clock
    // adjustments after start-up never move ids backwards.
    private static readonly long StartMillisSinceEpoch = (long)(DateTimeOffset.UtcNow - Epoch).TotalMilliseconds;
    private static readonly long StartTimestamp = Stopwatch.GetTimestamp();

    // MAC (6 bytes) and pid (2 bytes) never change within the process: packed big-endian into one ulong.
    private static readonly ulong MacAndPid = Pack(ResolveMac(), Environment.ProcessId);

    private static int _sequence;

    /// <summary>A new message id, unique in this process and very likely across processes.</summary>
    public static string Next() =>
        Format(MacAndPid, CurrentSeconds(), unchecked((uint)Interlocked.Increment(ref _sequence)));

    /// <summary>The id for explicit parts, e.g. the §3.2 worked example.</summary>
    internal static string Format(ReadOnlySpan<byte> mac, int pid, uint secondsSince2021, uint sequence) =>
        Format(Pack(mac, pid), secondsSince2021, sequence);

    /// <summary>Seconds since 2021-01-01T00:00:00Z, low 32 bits, as written into the id.</summary>
    internal static uint SecondsSince2021(DateTimeOffset time) =>
        unchecked((uint)(long)Math.Floor((time - Epoch).TotalSeconds));

    private static uint CurrentSeconds()
    {
        var elapsedMillis = (long)Stopwatch.GetElapsedTime(StartTimestamp).TotalMilliseconds;
        return unchecked((uint)((StartMillisSinceEpoch + elapsedMillis) / 1000));
    }

    private static string Format(ulong macAndPid, uint seconds, uint sequence) =>
        string.Create(Length, (macAndPid, seconds, sequence), static (chars, state) =>
        {
            Span<byte> bytes = stackalloc byte[16];
            BinaryPrimitives.WriteUInt64BigEndian(bytes, state.macAndPid);
            BinaryPrimitives.WriteUInt32BigEndian(bytes[8..], state.seconds);
            BinaryPrimitives.WriteUInt32BigEndian(bytes[12..], state.sequence);
            chars[0] = '0';
            chars[1] = '1';
            Convert.TryToHexString(bytes, chars[2..], out _); // upper case
        });

    private static ulong Pack(ReadOnlySpan<byte> mac, int pid)
    {
        if (mac.Length != 6) throw new ArgumentException($"A MAC address has 6 bytes, got {mac.Length}.", nameof(mac));
        Span<byte> bytes = stackalloc byte[8];
        mac.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16BigEndian(bytes[6..], unchecked((ushort)pid));
        return BinaryPrimitives.ReadUInt64BigEndian(bytes);
    }

    /// <summary>The MAC of the first interface that has a 6-byte, non-zero one; random bytes if none does.</summary>
    private static byte[] ResolveMac()
    {
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                var mac = nic.GetPhysicalAddress().GetAddressBytes();
                if (mac.Length == 6 && mac.AsSpan().ContainsAnyExcept((byte)0)) return mac;
            }
        }
        catch (NetworkInformationException)
        {
        }
        catch (PlatformNotSupportedException)
        {
        }
        return RandomNumberGenerator.GetBytes(6);
    }
}
