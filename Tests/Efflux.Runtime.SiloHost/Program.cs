using Efflux.Runtime.Hosting;
using Efflux.Runtime.Redis;
using Microsoft.Extensions.Hosting;

// A silo process for the cluster tests: Redis membership, file grain storage, the test grains.
// Arguments: PORT REDIS CLUSTER STATE_DIRECTORY. Prints "ready" once it serves; the tests kill it with SIGKILL.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: Efflux.Runtime.SiloHost PORT REDIS CLUSTER STATE_DIRECTORY");
    return 2;
}

var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Services.AddRedisMembership(args[1], args[2]);
builder.Services.AddFileGrainStorage("store", args[3]);
builder.UseEffluxSilo(o =>
{
    o.Port = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
    o.MembershipRefreshInterval = TimeSpan.FromMilliseconds(250);
    // Short enough for a test to wait out, long enough that a silo starving for CPU at start-up (a loaded CI machine)
    // is not declared dead.
    o.DeathTimeout = TimeSpan.FromSeconds(5);
});
using var host = builder.Build();
await host.StartAsync();
Console.WriteLine("ready");
await host.WaitForShutdownAsync();
return 0;
