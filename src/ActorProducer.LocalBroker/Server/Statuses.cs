using System.Collections.Frozen;
using System.Reflection;
using Apache.Rocketmq.V2;
using Google.Protobuf.Reflection;

namespace ActorProducer.LocalBroker.Server;

/// <summary>Builds response <see cref="Status"/> values the way the proxy's ResponseBuilder does.</summary>
internal static class Statuses
{
    // Proto names (TOPIC_NOT_FOUND, not TopicNotFound): the proxy's default status message is Code.name() (behavior.md §7.0).
    private static readonly FrozenDictionary<Code, string> ProtoNames = Enum.GetValues<Code>().ToFrozenDictionary(
        code => code,
        code => typeof(Code).GetField(code.ToString())!.GetCustomAttribute<OriginalNameAttribute>()!.Name);

    /// <summary>The proto name of a message type (NORMAL, FIFO, ...).</summary>
    public static string NameOfType(MessageType type) =>
        typeof(MessageType).GetField(type.ToString())?.GetCustomAttribute<OriginalNameAttribute>()?.Name ?? type.ToString();

    /// <summary>Shared OK status. Responses only get serialized, so one instance serves every call.</summary>
    public static Status Ok { get; } = new() { Code = Code.Ok, Message = "OK" };

    /// <summary>The proto name of a code, or its number when the code is unknown.</summary>
    public static string NameOf(Code code) =>
        ProtoNames.TryGetValue(code, out var name) ? name : ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A status with <paramref name="message"/>, or the code name when there is none.</summary>
    public static Status Of(Code code, string? message = null) =>
        code == Code.Ok && message is null ? Ok : new Status { Code = code, Message = message ?? NameOf(code) };
}
