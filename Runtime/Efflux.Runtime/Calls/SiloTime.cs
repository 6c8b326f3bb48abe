using Efflux.Runtime.Hosting;
using Microsoft.Extensions.Options;

namespace Efflux.Runtime.Calls;

/// <summary>The clock and call timeout every caller in a silo or client uses.</summary>
internal sealed class SiloTime(TimeProvider provider, IOptions<SiloOptions> options)
{
    public TimeProvider Provider { get; } = provider;

    public TimeSpan CallTimeout => options.Value.CallTimeout;
}
