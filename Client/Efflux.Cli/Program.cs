using System.CommandLine;
using Efflux.Cli;

var root = new RootCommand("efflux — the Efflux command line");
root.Subcommands.Add(VerifyCommand.Create());
root.Subcommands.Add(DumpCommand.Create());
root.Subcommands.Add(QueryCommand.Create());
return await root.Parse(args).InvokeAsync();
