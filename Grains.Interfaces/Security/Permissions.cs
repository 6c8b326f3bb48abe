namespace Efflux;

/// <summary>What an identity may do in a namespace. <see cref="Admin"/> includes reading and writing.</summary>
[Flags]
[GenerateSerializer]
[Alias("efflux.Permissions")]
public enum Permissions
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Describe topics and groups, read records, commit group offsets, verify, list and describe queries.</summary>
    Read = 1,

    /// <summary>Append records (and create a missing topic by appending to it, when the silo auto-creates topics).</summary>
    Write = 2,

    /// <summary>Create, change and delete topics and queries; with a grant for every namespace, the cluster routes and the dashboards.</summary>
    Admin = 4,
}

/// <summary>
/// A namespace pattern and what it allows: <c>orders=read</c>, <c>team-*=read,write</c>, <c>*=admin</c>. A pattern is a
/// namespace name, a prefix followed by <c>*</c>, or <c>*</c> alone for every namespace.
/// </summary>
/// <param name="Pattern">The namespace pattern.</param>
/// <param name="Permissions">What it allows (admin always with read and write).</param>
[GenerateSerializer]
[Alias("efflux.NamespaceGrant")]
public sealed record NamespaceGrant([property: Id(0)] string Pattern, [property: Id(1)] Permissions Permissions)
{
    /// <summary>Whether the grant covers <paramref name="ns"/>; a null namespace (cluster-wide routes) needs the pattern <c>*</c>.</summary>
    public bool Covers(string? ns)
        => Pattern == "*" || (ns is not null && (Pattern.EndsWith('*') ? ns.StartsWith(Pattern[..^1], StringComparison.Ordinal) : ns == Pattern));

    /// <summary>Parses <c>pattern=read,write,admin</c>.</summary>
    /// <exception cref="EffluxException">The text is not a grant (<see cref="EffluxError.InvalidRequest"/>).</exception>
    public static NamespaceGrant Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var pattern = equals > 0 ? text[..equals].Trim() : "";
        var name = pattern.EndsWith('*') ? pattern[..^1] : pattern;
        if (name.Length == 0 ? pattern != "*" : name.Length > 128 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw EffluxException.Invalid($"'{text}' is not a grant: write namespace=read,write,admin where namespace is a name, a prefix and *, or *.");
        }

        var permissions = Permissions.None;
        foreach (var word in text[(equals + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            permissions |= word.ToUpperInvariant() switch
            {
                "READ" => Permissions.Read,
                "WRITE" => Permissions.Write,
                "ADMIN" => Permissions.Read | Permissions.Write | Permissions.Admin,
                _ => throw EffluxException.Invalid($"'{word}' in '{text}' is not a permission: use read, write or admin."),
            };
        }

        return permissions == Permissions.None
            ? throw EffluxException.Invalid($"'{text}' grants nothing: name read, write or admin after the '='.")
            : new NamespaceGrant(pattern, permissions);
    }

    /// <summary><c>pattern=read,write</c>, the form <see cref="Parse"/> reads.</summary>
    public override string ToString()
        => Pattern + "=" + string.Join(',', Permissions.Words());
}

/// <summary>Permissions as the words grants use.</summary>
public static class PermissionsWords
{
    /// <summary><c>read</c>, <c>write</c>, <c>admin</c>: those of <paramref name="permissions"/>, in that order.</summary>
    public static IEnumerable<string> Words(this Permissions permissions)
        => new[] { Permissions.Read, Permissions.Write, Permissions.Admin }.Where(p => permissions.HasFlag(p)).Select(p => p.ToString().ToLowerInvariant());
}

/// <summary>
/// Marks a grain method with the permission an SDK caller needs on the grain's namespace; any one of the flags given is
/// enough. A method without it is for administrators of every namespace only.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresAttribute(Permissions anyOf) : Attribute
{
    /// <summary>The permissions of which one is needed.</summary>
    public Permissions AnyOf { get; } = anyOf;

    /// <summary>The rate limit a call is counted against.</summary>
    public Quota Quota { get; init; }

    /// <summary>The call may wait for records (a <see cref="TimeSpan"/> argument above zero): it counts as an open read while it runs.</summary>
    public bool Waits { get; init; }
}

/// <summary>The rate limits (<c>Efflux:Limits</c>): each caller has a token bucket per namespace for each.</summary>
public enum Quota
{
    /// <summary>Not rate limited.</summary>
    None,

    /// <summary>Appends: an append call, or one produce request, takes a token.</summary>
    Produce,

    /// <summary>Reads: a fetch, poll, long poll, stream or search takes a token.</summary>
    Consume,
}
