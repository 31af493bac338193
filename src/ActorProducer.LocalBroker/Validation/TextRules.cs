namespace ActorProducer.LocalBroker.Validation;

/// <summary>The character predicates the proxy uses (commons-lang StringUtils, Guava CharMatcher).</summary>
internal static class TextRules
{
    /// <summary>StringUtils.isBlank: empty or only whitespace.</summary>
    public static bool IsBlank(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>CharMatcher.javaIsoControl: U+0000–U+001F and U+007F–U+009F (behavior.md §5.1).</summary>
    public static bool ContainsControlCharacter(string text)
    {
        foreach (var c in text)
        {
            if (c <= '\u001F' || c is >= '\u007F' and <= '\u009F')
            {
                return true;
            }
        }

        return false;
    }
}
