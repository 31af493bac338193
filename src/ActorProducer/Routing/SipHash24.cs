using System.Buffers.Binary;
using System.Numerics;

namespace ActorProducer.Routing;

/// <summary>
/// SipHash-2-4 with the fixed key <c>00 01 … 0F</c> (Guava's <c>Hashing.sipHash24()</c> default), used to map a
/// FIFO message group to a queue exactly as the Java and Node clients do (behavior.md §5.4). Unlike
/// <c>string.GetHashCode()</c> it is the same in every process.
/// </summary>
internal static class SipHash24
{
    private const ulong K0 = 0x0706050403020100UL;
    private const ulong K1 = 0x0F0E0D0C0B0A0908UL;

    public static ulong Hash(ReadOnlySpan<byte> data)
    {
        var v0 = 0x736f6d6570736575UL ^ K0;
        var v1 = 0x646f72616e646f6dUL ^ K1;
        var v2 = 0x6c7967656e657261UL ^ K0;
        var v3 = 0x7465646279746573UL ^ K1;

        var blocks = data.Length / 8;
        for (var i = 0; i < blocks; i++)
        {
            var m = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(i * 8, 8));
            v3 ^= m;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= m;
        }

        // Last block: the remaining bytes, little-endian, with the input length in the top byte.
        var last = (ulong)(byte)data.Length << 56;
        var tail = data[(blocks * 8)..];
        for (var i = 0; i < tail.Length; i++) last |= (ulong)tail[i] << (8 * i);

        v3 ^= last;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        v0 ^= last;

        v2 ^= 0xff;
        for (var i = 0; i < 4; i++) Round(ref v0, ref v1, ref v2, ref v3);
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
    {
        v0 += v1; v1 = BitOperations.RotateLeft(v1, 13); v1 ^= v0; v0 = BitOperations.RotateLeft(v0, 32);
        v2 += v3; v3 = BitOperations.RotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = BitOperations.RotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = BitOperations.RotateLeft(v1, 17); v1 ^= v2; v2 = BitOperations.RotateLeft(v2, 32);
    }
}
