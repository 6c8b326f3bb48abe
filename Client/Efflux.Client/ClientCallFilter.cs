using System.Diagnostics;

namespace Efflux.Client;

/// <summary>
/// Every grain call of the client: sends the API key in the request context, and when the silo answers
/// <see cref="EffluxError.Throttled"/>, waits the time it names and calls again, until
/// <see cref="EffluxClientOptions.MaxThrottleWait"/> is used up. Each wait is reported to
/// <see cref="EffluxClientOptions.Throttled"/> first.
/// </summary>
internal sealed class ClientCallFilter(EffluxClientOptions options) : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (options.ApiKey is { Length: > 0 } key)
        {
            RequestContext.Set(ClientKey.Name, key);
        }

        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            TimeSpan? wait;
            try
            {
                await context.Invoke().ConfigureAwait(false);
                wait = Retry(context.Response?.Exception, started, context);
            }
            catch (EffluxException ex) when (Retry(ex, started, context) is { } again)
            {
                wait = again;
            }

            if (wait is null)
            {
                return;
            }

            await Task.Delay(wait.Value).ConfigureAwait(false);
        }
    }

    /// <summary>The wait before calling again after <paramref name="error"/>, reported; null when the call is not to be made again.</summary>
    private TimeSpan? Retry(Exception? error, long started, IOutgoingGrainCallContext context)
    {
        if (error is not EffluxException { Error: EffluxError.Throttled, RetryAfter: { } wait } throttled || Stopwatch.GetElapsedTime(started) + wait > options.MaxThrottleWait)
        {
            return null;
        }

        options.Throttled?.Invoke(new ThrottledCall(context.InterfaceName, context.MethodName, wait, throttled.Message));
        return wait;
    }
}

/// <summary>A call the silo refused for a rate limit, which the client will make again after <paramref name="Wait"/>.</summary>
/// <param name="Interface">The grain interface called.</param>
/// <param name="Method">The method called.</param>
/// <param name="Wait">How long the client waits before calling again.</param>
/// <param name="Reason">The silo's message: which limit, for whom, in which namespace.</param>
public sealed record ThrottledCall(string Interface, string Method, TimeSpan Wait, string Reason);
