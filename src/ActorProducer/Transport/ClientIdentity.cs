using ActorProducer.Settings;

namespace ActorProducer.Transport;

/// <summary>Who is calling: everything the request headers need, fixed for one producer instance.</summary>
/// <param name="ClientId">Generated client id (x-mq-client-id).</param>
/// <param name="Namespace">x-mq-namespace.</param>
/// <param name="Credentials">Consulted per request; null for unsigned requests.</param>
internal sealed record ClientIdentity(string ClientId, string Namespace, ICredentialsProvider? Credentials)
{
    /// <summary>x-mq-client-version: this assembly's informational version.</summary>
    public static readonly string ClientVersion =
        typeof(ClientIdentity).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>()
            .FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "unknown";
}
