using System.Globalization;

namespace ActorProducer.LocalBroker.Validation;

/// <summary>The character predicates the proxy uses (commons-lang StringUtils, Guava CharMatcher).</summary>
internal static class TextRules
{
    /// <summary>StringUtils.isBlank: empty or only whitespace in Java's sense (<see cref="IsJavaWhitespace"/>).</summary>
    public static bool IsBlank(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        foreach (var c in text)
        {
            if (!IsJavaWhitespace(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Java's Character.isWhitespace, which differs from char.IsWhiteSpace: the information separators U+001C–U+001F
    /// are whitespace, the no-break spaces (U+00A0, U+2007, U+202F) and NEL (U+0085) are not.
    /// </summary>
    public static bool IsJavaWhitespace(char c) =>
        c is '\t' or '\n' or '\u000B' or '\f' or '\r' or (>= '\u001C' and <= '\u001F')
        || (c is not '\u00A0' and not '\u2007' and not '\u202F'
            && char.GetUnicodeCategory(c) is UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator);

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
