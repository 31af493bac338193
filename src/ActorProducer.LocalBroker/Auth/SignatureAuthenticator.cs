using System.Security.Cryptography;
using Encoding = System.Text.Encoding;
using ActorProducer.LocalBroker.Server;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Auth;

/// <summary>
/// The proxy's authentication (behavior.md §2.2–2.3): <c>Signature</c> must be the hex (any case) of
/// HMAC-SHA1(secret of the Credential user, UTF-8 of x-mq-date-time). Every failure is UNAUTHORIZED (40100).
/// The date-time is only signed content: no clock-skew check, as on the real proxy.
/// </summary>
internal static class SignatureAuthenticator
{
    /// <summary>Null when the call is authenticated, else the UNAUTHORIZED status to answer.</summary>
    public static Status? Authenticate(RequestHeaders headers, IDictionary<string, string> users)
    {
        var problem = Check(headers, users);
        return problem is null ? null : Statuses.Of(Code.Unauthorized, problem);
    }

    private static string? Check(RequestHeaders headers, IDictionary<string, string> users)
    {
        if (string.IsNullOrEmpty(headers.Authorization))
        {
            // Anonymous request: the authentication handler then finds no user.
            return "username cannot be null";
        }

        if (string.IsNullOrEmpty(headers.DateTime))
        {
            return "datetime is null.";
        }

        var header = AuthorizationHeader.TryParse(headers.Authorization, out var problem);
        if (header is null)
        {
            return problem;
        }

        if (string.IsNullOrEmpty(header.AccessKey))
        {
            return "username cannot be null";
        }

        if (!users.TryGetValue(header.AccessKey, out var secret))
        {
            return $"User:{header.AccessKey} is not found.";
        }

        if (header.SignatureHex is null || !TryDecodeHex(header.SignatureHex, out var signature))
        {
            return "check signature failed.";
        }

        var expected = HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(headers.DateTime));
        return CryptographicOperations.FixedTimeEquals(expected, signature) ? null : "check signature failed.";
    }

    private static bool TryDecodeHex(string hex, out byte[] bytes)
    {
        try
        {
            // Convert.FromHexString accepts upper and lower case, like commons-codec Hex.decodeHex.
            bytes = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
