using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ActorProducer.LocalBroker.Store;

/// <summary>
/// The recall handle of a delay message, in the broker's format (RecallMessageHandle.HandleV1): URL-safe Base64
/// of <c>"v1 {topic} {brokerName} {deliverMillis} {messageId}"</c>. Clients treat it as opaque.
/// </summary>
internal sealed record RecallHandle(string Topic, string BrokerName, long DeliverMillis, string MessageId)
{
    private const string Version = "v1";

    public string Encode()
    {
        var text = string.Join(' ', Version, Topic, BrokerName,
            DeliverMillis.ToString(CultureInfo.InvariantCulture), MessageId);
        // Java's Base64.getUrlEncoder() pads with '='.
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Decodes a handle; null when it is not one (the broker answers "recall handle is invalid").</summary>
    public static RecallHandle? TryDecode(string? handle)
    {
        if (string.IsNullOrEmpty(handle))
        {
            return null;
        }

        var bytes = new byte[Base64Url.GetMaxDecodedLength(handle.Length)];
        if (Base64Url.DecodeFromChars(handle.TrimEnd('=').AsSpan(), bytes, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return null;
        }

        var items = Encoding.UTF8.GetString(bytes, 0, written).Split(' ');
        if (items.Length < 5 || items[0] != Version
            || !long.TryParse(items[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var deliverMillis))
        {
            return null;
        }

        return new RecallHandle(items[1], items[2], deliverMillis, items[4]);
    }
}
