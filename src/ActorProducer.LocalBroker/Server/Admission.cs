using ActorProducer.LocalBroker.Auth;
using ActorProducer.LocalBroker.Validation;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Server;

/// <summary>
/// The proxy's per-request pipeline before business logic (behavior.md §2.3, §7.0): authentication when users are
/// configured (→ UNAUTHORIZED), then a non-blank x-mq-client-id (→ CLIENT_ID_REQUIRED).
/// </summary>
internal sealed class Admission(LocalBrokerOptions options)
{
    /// <summary>Null when the call may proceed, else the status to answer.</summary>
    public Status? Check(RequestHeaders headers)
    {
        if (options.Users.Count > 0 && SignatureAuthenticator.Authenticate(headers, options.Users) is { } rejected)
        {
            return rejected;
        }

        return TextRules.IsBlank(headers.ClientId)
            ? Statuses.Of(Code.ClientIdRequired, "client id cannot be empty")
            : null;
    }
}
