using System.Collections.Concurrent;
using System.Reflection;
using Orleans.Serialization.Invocation;
using Microsoft.Extensions.Options;

namespace Efflux.Grains.Security;

/// <summary>
/// Applies the REST facade's rules to grain calls from SDK clients: a call that arrives through a gateway must carry an
/// API key (<see cref="ClientKey"/>) that allows its method (<see cref="RequiresAttribute"/>) on the grain's namespace,
/// and it counts against the caller's rate limits. Calls between grains, and from the silos' own hosted clients (the
/// REST facade, which checks its requests itself), pass. Only Efflux grain interfaces are checked; Orleans' own system
/// grains rely on the gateway's TLS client certificates.
/// </summary>
internal sealed class AccessFilter(IOptions<AuthOptions> auth, KeyRing keys, Quotas quotas, ILocalSiloDetails silo, IClusterMembershipService membership) : IIncomingGrainCallFilter
{
    private static readonly Assembly Contracts = typeof(ITopicGrain).Assembly;
    private static readonly ConcurrentDictionary<MethodInfo, RequiresAttribute?> Rules = new();

    /// <remarks>
    /// Not an async method: a call that passes hands back the grain's own task, so that no frame of this filter waits
    /// with it (each frame that waits costs a state machine, a continuation and a delegate per call).
    /// </remarks>
    public Task Invoke(IIncomingGrainCallContext context)
    {
        // The key is for this check only: it must not flow on with the grain's own calls (to other grains, or to the
        // observers of other clients that a partition pushes records to).
        var key = RequestContext.Get(ClientKey.Name) as string;
        if (key is not null)
        {
            RequestContext.Remove(ClientKey.Name);
        }

        if (context.SourceId is not { } source || !source.IsClient() || context.InterfaceMethod is not { } method || method.DeclaringType?.Assembly != Contracts || IsHostedClient(source))
        {
            return context.Invoke();
        }

        var rule = Rules.GetOrAdd(method, m => m.GetCustomAttribute<RequiresAttribute>());
        var ns = context.Grain is INamespaceCatalogGrain ? null : NamespaceOf(context.TargetId);
        var caller = Identify(key);
        caller.Demand(rule is null ? null : ns, rule?.AnyOf ?? Permissions.Admin);
        if (rule is { Quota: not Quota.None } && ns is not null)
        {
            quotas.Take(caller.Name, ns, rule.Quota);
        }

        return rule is { Waits: true } && Wait(context.Request) > TimeSpan.Zero ? InvokeHoldingAsync(context, quotas.OpenRead(caller.Name)) : context.Invoke();
    }

    /// <summary>Runs a call that waits (a long poll, a stream) while it holds one of its caller's open reads.</summary>
    private static async Task InvokeHoldingAsync(IIncomingGrainCallContext context, IDisposable open)
    {
        using (open)
        {
            await context.Invoke();
        }
    }

    private Caller Identify(string? key)
    {
        if (!auth.Value.Enabled)
        {
            return Caller.Anonymous;
        }

        return key is not null
            ? keys.Authenticate(key) ?? throw new EffluxException(EffluxError.Unauthenticated, "The client's API key is not one this silo knows (revoked, or from another cluster).")
            : throw new EffluxException(EffluxError.Unauthenticated, "This silo requires an API key: set EffluxClientOptions.ApiKey (or EFFLUX_API_KEY for the CLI).");
    }

    /// <summary>A silo's hosted client (<c>hosted-{silo address}</c>) of an active member of this cluster.</summary>
    private bool IsHostedClient(GrainId source)
    {
        var key = source.Key.ToString();
        const string Prefix = "hosted-";
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var address = key[Prefix.Length..];
        return address == silo.SiloAddress.ToParsableString()
            || membership.CurrentSnapshot.Members.Values.Any(m => m.Status == SiloStatus.Active && m.SiloAddress.ToParsableString() == address);
    }

    /// <summary>The call's wait: its first <see cref="TimeSpan"/> argument.</summary>
    private static TimeSpan Wait(IInvokable request)
    {
        for (var i = 0; i < request.GetArgumentCount(); i++)
        {
            if (request.GetArgument(i) is TimeSpan wait)
            {
                return wait;
            }
        }

        return TimeSpan.Zero;
    }

    private static string NamespaceOf(GrainId target)
    {
        var key = target.Key.ToString() ?? "";
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? key : key[..slash];
    }
}
