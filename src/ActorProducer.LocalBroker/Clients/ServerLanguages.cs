using System.Collections.Frozen;

namespace ActorProducer.LocalBroker.Clients;

/// <summary>
/// The server's LanguageCode names (behavior.md §7.0). The proxy parses x-mq-language with an exact enum lookup when
/// it registers a client; anything else makes the registration throw. Note: the Node.js client sends <c>HTTP</c>.
/// </summary>
internal static class ServerLanguages
{
    private static readonly FrozenSet<string> Codes = new[]
    {
        "JAVA", "CPP", "DOTNET", "PYTHON", "DELPHI", "ERLANG", "RUBY", "OTHER", "HTTP", "GO", "PHP", "OMS", "RUST", "NODE_JS",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsValid(string? language) => language is not null && Codes.Contains(language);

    /// <summary>The message of Java's Enum.valueOf failure, which the proxy passes on.</summary>
    public static string Complaint(string? language) => language is null
        ? "Name is null"
        : $"No enum constant org.apache.rocketmq.remoting.protocol.LanguageCode.{language}";
}
