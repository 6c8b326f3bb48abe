namespace Efflux.Processing.Engine;

/// <summary>SQL LIKE: <c>%</c> matches any run of characters (also none), <c>_</c> exactly one; ordinal, case-sensitive.</summary>
public static class LikeMatcher
{
    /// <summary>True when <paramref name="text"/> matches <paramref name="pattern"/>.</summary>
    public static bool Matches(string text, string pattern)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(pattern);

        // Greedy match with one backtrack point: the last '%' seen. Linear for patterns without '%'.
        int t = 0, p = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '_' || (pattern[p] != '%' && pattern[p] == text[t])))
            {
                t++;
                p++;
            }
            else if (p < pattern.Length && pattern[p] == '%')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '%')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
