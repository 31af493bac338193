namespace ActorProducer.LocalBroker.Auth;

/// <summary>
/// The parsed <c>authorization</c> header, split exactly as the proxy's DefaultAuthenticationContextBuilder does
/// (behavior.md §2.3): once on the first space, the rest on ',', each item trimmed and split once on '='.
/// </summary>
internal sealed record AuthorizationHeader(string? AccessKey, string? SignatureHex)
{
    /// <summary>Parses the header; null with <paramref name="problem"/> set when an item has no '='.</summary>
    public static AuthorizationHeader? TryParse(string value, out string? problem)
    {
        problem = null;
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            problem = "authentication header is incorrect.";
            return null;
        }

        string? accessKey = null;
        string? signature = null;
        foreach (var item in JavaSplit(value[(space + 1)..], ','))
        {
            var pair = item.Trim();
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                problem = "authentication keyValues length is incorrect, actual length=1.";
                return null;
            }

            var key = pair[..equals];
            var itemValue = pair[(equals + 1)..];
            if (key == "Credential")
            {
                // Credential may be "AK/scope..."; the first part is the user name.
                accessKey = JavaSplit(itemValue, '/')[0];
            }
            else if (key == "Signature")
            {
                signature = itemValue;
            }
        }

        return new AuthorizationHeader(accessKey, signature);
    }

    /// <summary>Java's String.split(regex) for a single character: trailing empty strings are removed.</summary>
    private static string[] JavaSplit(string text, char separator)
    {
        var parts = text.Split(separator);
        var count = parts.Length;
        while (count > 1 && parts[count - 1].Length == 0)
        {
            count--;
        }

        return count == parts.Length ? parts : parts[..count];
    }
}
