namespace ActorProducer.Settings;

/// <summary>Access key, secret and optional STS token used to sign requests (MQv2-HMAC-SHA1).</summary>
public sealed record SessionCredentials(string AccessKey, string AccessSecret, string? SecurityToken = null)
{
    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"SessionCredentials(AccessKey={AccessKey}, AccessSecret=***, SecurityToken={(SecurityToken is null ? "none" : "***")})";
}

/// <summary>
/// Supplies credentials; consulted on every request, so rotating credentials work.
/// Return null for unsigned requests.
/// </summary>
public interface ICredentialsProvider
{
    /// <summary>The credentials to sign the next request with, or null.</summary>
    SessionCredentials? GetCredentials();
}

/// <summary>A provider that always returns the same credentials.</summary>
public sealed class StaticCredentialsProvider(SessionCredentials credentials) : ICredentialsProvider
{
    /// <inheritdoc />
    public SessionCredentials GetCredentials() => credentials;
}
