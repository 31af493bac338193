namespace ActorProducer.Ids;

/// <summary>
/// <c>x-mq-request-id</c> values (behavior.md §2.1, §3.3): a random version-4 UUID per RPC, lower-case and hyphenated
/// like <c>Guid.NewGuid()</c>. The id only correlates logs, so its randomness comes from <see cref="Random.Shared"/>
/// rather than the OS's cryptographic source: <c>Guid.NewGuid()</c> costs a system call per id, on every send.
/// </summary>
internal static class RequestIds
{
    public static string Next()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (Guid's little-endian layout puts it in byte 7)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes).ToString();
    }
}
