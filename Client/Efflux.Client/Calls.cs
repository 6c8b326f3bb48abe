using Orleans.Runtime.Messaging;

namespace Efflux.Client;

/// <summary>Every grain call of the SDK goes through here, so that callers see <see cref="EffluxException"/> for Efflux errors.</summary>
internal static class Calls
{
    public static async Task<T> Run<T>(Task<T> call)
    {
        await Run((Task)call).ConfigureAwait(false);
        return await call.ConfigureAwait(false);
    }

    public static async Task Run(Task call)
    {
        try
        {
            await call.ConfigureAwait(false);
        }
        catch (Exception ex) when (EffluxException.From(ex) is { } error && !ReferenceEquals(error, ex))
        {
            throw error;
        }
        catch (ConnectionFailedException lost)
        {
            // The client's own transport (not in the contracts' reach): the gateway went away.
            throw new EffluxException(EffluxError.Unavailable, "Partition unavailable: " + lost.Message);
        }
    }
}
