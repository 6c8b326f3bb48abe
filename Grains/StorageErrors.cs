using Efflux.Storage;

namespace Efflux.Grains;

/// <summary>Turns the storage engine's exceptions into the errors callers see.</summary>
internal static class StorageErrors
{
    public static async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            // No ConfigureAwait(false): in a grain the continuation belongs to the turn, and resuming on the turn's
            // scheduler straight from the storage completion saves a thread-pool hop.
            return await action();
        }
        catch (Exception ex) when (Translate(ex) is { } error)
        {
            throw error;
        }
    }

    public static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (Translate(ex) is { } error)
        {
            throw error;
        }
    }

    public static EffluxException? Translate(Exception exception) => exception switch
    {
        OffsetOutOfRangeException range => new EffluxException(EffluxError.OffsetOutOfRange, range.Message),
        InvalidNameException name => EffluxException.Invalid(name.Message),
        PartitionReadOnlyException readOnly => new EffluxException(EffluxError.Unavailable, readOnly.Message),
        ObjectDisposedException => new EffluxException(EffluxError.Unavailable, "The partition is closing (its topic was deleted or its silo is stopping)."),
        ArgumentException argument => EffluxException.Invalid(argument.Message),
        _ => null,
    };
}
