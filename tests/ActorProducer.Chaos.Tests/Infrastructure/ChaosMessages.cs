using System.Text;
using ActorProducer.Messages;

namespace ActorProducer.Chaos.Tests.Infrastructure;

/// <summary>The messages of a chaos run.</summary>
public static class ChaosMessages
{
    /// <summary>
    /// A message that names its send ("{api}-{seq}") in a property, its first key and its body, so that the store can be
    /// joined with the outcomes; the body is 160 bytes that differ from send to send.
    /// </summary>
    public static ProducerMessage Good(string topic, string runId, ChaosApi api, int seq)
    {
        var id = Accounting.SeqOf(api, seq);
        var body = new StringBuilder($"{runId}/{id}/");
        for (var i = 0; body.Length < 160; i++) body.Append((char)('a' + (seq * 7 + i) % 26));
        return ProducerMessage.Text(topic, body.ToString()) with
        {
            Tag = "chaos",
            Keys = [id],
            Properties = new Dictionary<string, string> { [Accounting.SeqProperty] = id, ["chaos-run"] = runId },
        };
    }
}
