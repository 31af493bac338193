namespace ActorProducer.Samples.QuickStart;

/// <summary>Command line: <c>[--endpoint host:port] [--topic name] [--messages n]</c>.</summary>
internal sealed record QuickStartOptions(string? Endpoint, string Topic, int Messages)
{
    public static QuickStartOptions? Parse(string[] args)
    {
        string? endpoint = null;
        var topic = "QuickStart";
        var messages = 10_000;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--endpoint" when i + 1 < args.Length: endpoint = args[++i]; break;
                case "--topic" when i + 1 < args.Length: topic = args[++i]; break;
                case "--messages" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n >= 10: messages = n; i++; break;
                default:
                    Console.Error.WriteLine("usage: dotnet run --project samples/QuickStart -- [--endpoint host:port] [--topic name] [--messages n>=10]");
                    Console.Error.WriteLine("  without --endpoint an embedded LocalBroker is started; with it, --topic must be a NORMAL topic on that cluster.");
                    return null;
            }
        }
        return new QuickStartOptions(endpoint, topic, messages);
    }
}
