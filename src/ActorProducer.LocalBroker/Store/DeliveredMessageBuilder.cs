using System.Security.Cryptography;
using ActorProducer.LocalBroker.Inspection;
using ActorProducer.LocalBroker.Server;
using ActorProducer.LocalBroker.Validation;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Store;

/// <summary>
/// A stored message as the proxy sends it back to a client (GrpcConverter.buildMessage), e.g. inside a
/// RecoverOrphanedTransactionCommand: system properties rebuilt from the store, MD5 body digest, store host.
/// </summary>
internal static class DeliveredMessageBuilder
{
    public static Message Build(StoredMessage stored, string storeHost)
    {
        var received = stored.Raw.SystemProperties ?? MessageValidator.EmptySystemProperties;
        var system = new SystemProperties
        {
            MessageId = stored.MessageId,
            BodyDigest = new Digest { Type = DigestType.Md5, Checksum = Convert.ToHexString(MD5.HashData(stored.Body.Span)) },
            BodyEncoding = received.BodyEncoding == Encoding.Gzip ? Encoding.Gzip : Encoding.Identity,
            MessageType = stored.MessageType,
            BornTimestamp = ProtoTime.FromMillis(stored.BornTimestamp.ToUnixTimeMilliseconds()),
            BornHost = stored.BornHost,
            StoreTimestamp = ProtoTime.FromMillis(stored.StoreTimestamp.ToUnixTimeMilliseconds()),
            StoreHost = storeHost,
            QueueId = stored.QueueId,
            QueueOffset = stored.Offset,
            DeliveryAttempt = 1,
        };
        system.Keys.AddRange(stored.Keys);
        if (stored.Tag is not null)
        {
            system.Tag = stored.Tag;
        }

        if (stored.MessageGroup is not null)
        {
            system.MessageGroup = stored.MessageGroup;
        }

        if (stored.DeliveryTimestamp is { } delivery)
        {
            system.DeliveryTimestamp = ProtoTime.FromMillis(delivery.ToUnixTimeMilliseconds());
        }

        if (received.HasTraceContext && received.TraceContext.Length > 0)
        {
            system.TraceContext = received.TraceContext;
        }

        var message = new Message
        {
            // The proxy rebuilds the Resource from the stored topic name; the namespace does not survive.
            Topic = new Resource { Name = stored.Topic },
            SystemProperties = system,
            Body = stored.Raw.Body,
        };
        foreach (var (key, value) in stored.UserProperties)
        {
            message.UserProperties[key] = value;
        }

        return message;
    }
}
