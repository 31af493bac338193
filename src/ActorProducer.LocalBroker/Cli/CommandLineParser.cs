using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;

namespace ActorProducer.LocalBroker.Cli;

/// <summary>Parses the standalone command line into <see cref="LocalBrokerOptions"/>.</summary>
internal static class CommandLineParser
{
    /// <summary>Default port of the CLI: the proxy's gRPC port.</summary>
    public const int DefaultPort = 8081;

    public const string Usage = """
        LocalBroker: an emulator of the RocketMQ 5 proxy's producer-facing gRPC side.

        Usage: dotnet run --project src/ActorProducer.LocalBroker -- [options]

        Options:
          --port <n>                 Access-point port (broker-0); 0 picks a free one. Default 8081.
          --listen <address>         Address to listen on. Default 127.0.0.1.
          --brokers <n>              Simulated brokers, each on its own port (broker-0 on --port). Default 1.
          --topic <name[:TYPE[:q]]>  A topic; TYPE = NORMAL|FIFO|DELAY|TRANSACTION|MIXED (default NORMAL),
                                     q = queues per broker (default 4). Repeatable.
          --auto-create-topics       Create unknown topics (NORMAL) on first use (the real proxy never does).
          --user <AK:SECRET>         A user; with at least one, every request must be signed. Repeatable.
          --tls                      Serve TLS (HTTP/2) with a self-signed certificate.
          --max-body-size <bytes>    Largest accepted body. Default 4194304.
          --max-delay <seconds>      Latest delivery time accepted, from now. Default 86400.
          --max-messages-per-queue <n>  Messages kept per queue (oldest dropped); 0 keeps all. Default 100000.
          --no-type-check            Do not check message types against topic types.
          --tx-first-check <s>       Age of a half message at its first check. Default 6.
          --tx-check-interval <s>    Time between checks. Default 30.
          --tx-max-checks <n>        Checks before a half message is discarded. Default 15.
          --tx-data-ttl <s>          How long EndTransaction is accepted after send/check. Default 30.
          --verbose                  Show ASP.NET Core information logs.
          -h, --help                 Show this help.

        Example:
          dotnet run --project src/ActorProducer.LocalBroker -- --port 8081 --topic orders:NORMAL --topic tx:TRANSACTION --brokers 2
        """;

    /// <summary>The options, or null when help was asked for.</summary>
    /// <exception cref="FormatException">An argument is unknown or malformed (the message says which).</exception>
    public static LocalBrokerOptions? Parse(IReadOnlyList<string> args)
    {
        var options = new LocalBrokerOptions { Port = DefaultPort };
        var checks = options.TransactionChecks;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "-h" or "--help":
                    return null;
                case "--port":
                    options.Port = Int(arg, Value(args, ref i), 0, 65535);
                    break;
                case "--listen":
                    var address = Value(args, ref i);
                    options.ListenAddress = IPAddress.TryParse(address, out var ip)
                        ? ip
                        : throw new FormatException($"--listen: '{address}' is not an IP address");
                    break;
                case "--brokers":
                    options.BrokerCount = Int(arg, Value(args, ref i), 1, 64);
                    break;
                case "--topic":
                    options.Topics.Add(TopicDefinition.Parse(Value(args, ref i)));
                    break;
                case "--auto-create-topics":
                    options.AutoCreateTopics = true;
                    break;
                case "--user":
                    var user = Value(args, ref i);
                    var colon = user.IndexOf(':', StringComparison.Ordinal);
                    if (colon <= 0 || colon == user.Length - 1)
                    {
                        throw new FormatException($"--user: expected ACCESS_KEY:SECRET, got '{user}'");
                    }

                    options.Users[user[..colon]] = user[(colon + 1)..];
                    break;
                case "--tls":
                    options.UseTls = true;
                    break;
                case "--max-body-size":
                    options.MaxBodySize = Int(arg, Value(args, ref i), 1, int.MaxValue);
                    break;
                case "--max-messages-per-queue":
                    options.MaxMessagesPerQueue = Int(arg, Value(args, ref i), 0, int.MaxValue);
                    break;
                case "--max-delay":
                    options.MaxDelay = Seconds(arg, Value(args, ref i));
                    break;
                case "--no-type-check":
                    options.ValidateMessageType = false;
                    break;
                case "--tx-first-check":
                    checks = checks with { FirstCheckAfter = Seconds(arg, Value(args, ref i)) };
                    break;
                case "--tx-check-interval":
                    checks = checks with { CheckInterval = Seconds(arg, Value(args, ref i)) };
                    break;
                case "--tx-max-checks":
                    checks = checks with { MaxChecks = Int(arg, Value(args, ref i), 0, int.MaxValue) };
                    break;
                case "--tx-data-ttl":
                    checks = checks with { TransactionDataTtl = Seconds(arg, Value(args, ref i)) };
                    break;
                case "--verbose":
                    options.MinimumLogLevel = LogLevel.Information;
                    break;
                default:
                    throw new FormatException($"unknown argument '{arg}' (see --help)");
            }
        }

        options.TransactionChecks = checks;
        return options;
    }

    private static string Value(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count ? args[i] : throw new FormatException($"{args[i - 1]} needs a value");

    private static int Int(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new FormatException($"{name}: '{text}' is not a whole number in [{min}, {max}]");

    private static TimeSpan Seconds(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? TimeSpan.FromSeconds(value)
            : throw new FormatException($"{name}: '{text}' is not a non-negative number of seconds");
}
