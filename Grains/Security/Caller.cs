namespace Efflux.Grains.Security;

/// <summary>An authenticated caller: a name for logs and limits, and what it may do where.</summary>
/// <param name="Name">The key id (<c>key:{id}</c>), the JWT subject (<c>jwt:{sub}</c>) or <c>anonymous</c>.</param>
/// <param name="Grants">Its grants.</param>
public sealed record Caller(string Name, IReadOnlyList<NamespaceGrant> Grants)
{
    /// <summary>Anyone, when authentication is off: everything everywhere.</summary>
    public static Caller Anonymous { get; } = new("anonymous", [new NamespaceGrant("*", Permissions.Read | Permissions.Write | Permissions.Admin)]);

    /// <summary>Whether one of <paramref name="anyOf"/> is granted on <paramref name="ns"/> (null: on every namespace).</summary>
    public bool Allows(string? ns, Permissions anyOf) => Grants.Any(g => (g.Permissions & anyOf) != 0 && g.Covers(ns));

    /// <summary>Throws 403 unless <see cref="Allows"/>.</summary>
    /// <exception cref="EffluxException"><see cref="EffluxError.Forbidden"/>.</exception>
    /// <remarks><see cref="Permissions.None"/> asks only that the caller be known.</remarks>
    public void Demand(string? ns, Permissions anyOf)
    {
        if (anyOf != Permissions.None && !Allows(ns, anyOf))
        {
            var needed = string.Join(" or ", anyOf.Words());
            throw new EffluxException(EffluxError.Forbidden, ns is null
                ? $"{Name} may not do this: it needs {needed} on every namespace (a grant for *)."
                : $"{Name} may not do this in namespace '{ns}': it needs {needed} there.");
        }
    }
}
