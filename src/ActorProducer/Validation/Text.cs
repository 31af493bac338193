using System.Text;

namespace ActorProducer.Validation;

/// <summary>String checks and quoting shared by the validators.</summary>
internal static class Text
{
    private const int MaxShown = 64;

    /// <summary>Java's <c>CharMatcher.javaIsoControl()</c>: U+0000–U+001F and U+007F–U+009F.</summary>
    public static bool IsControl(char c) => c <= '\u001F' || c is >= '\u007F' and <= '\u009F';

    /// <summary>Index of the first control character, or -1.</summary>
    public static int IndexOfControl(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (IsControl(value[i])) return i;
        }
        return -1;
    }

    /// <summary>The value in single quotes for an error message: control characters escaped, long values cut.</summary>
    public static string Quote(string? value)
    {
        if (value is null) return "null";
        var shown = value.Length > MaxShown ? value[..MaxShown] : value;
        var sb = new StringBuilder(shown.Length + 24).Append('\'');
        foreach (var c in shown)
        {
            if (IsControl(c)) sb.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        sb.Append('\'');
        if (value.Length > MaxShown) sb.Append("… (").Append(value.Length).Append(" characters)");
        return sb.ToString();
    }
}
