using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ActorProducer.Transport;

/// <summary>
/// The <c>authorization</c> header of behavior.md §2.2: HMAC-SHA1 of the <c>x-mq-date-time</c> value, keyed by
/// the secret, in upper-case hex. Only the date-time is signed, so one signature serves a whole stream.
/// </summary>
internal static class RequestSigner
{
    public const string Algorithm = "MQv2-HMAC-SHA1";
    public const string SignedHeaders = "x-mq-date-time";

    /// <summary>The <c>x-mq-date-time</c> value, <c>yyyyMMddTHHmmssZ</c>. Pass UTC: the official clients' local time with a literal Z is a quirk.</summary>
    public static string FormatDateTime(DateTime utc) =>
        utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The full <c>authorization</c> header value for <paramref name="dateTime"/> (as sent in <c>x-mq-date-time</c>).</summary>
    public static string Authorization(string accessKey, string accessSecret, string dateTime)
    {
        ArgumentNullException.ThrowIfNull(accessKey);
        ArgumentNullException.ThrowIfNull(accessSecret);
        ArgumentNullException.ThrowIfNull(dateTime);
        var signature = HMACSHA1.HashData(Encoding.UTF8.GetBytes(accessSecret), Encoding.UTF8.GetBytes(dateTime));
        return $"{Algorithm} Credential={accessKey}, SignedHeaders={SignedHeaders}, Signature={Convert.ToHexString(signature)}";
    }
}
