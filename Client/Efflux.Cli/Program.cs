using System.CommandLine;
using Efflux.Cli;
using Efflux.Cli.Online;

var root = new RootCommand("efflux — the Efflux command line");
root.Subcommands.Add(VerifyCommand.Create());
root.Subcommands.Add(DumpCommand.Create());
root.Subcommands.Add(QueryCommand.Create());
root.Subcommands.Add(TopicsCommand.Create());
root.Subcommands.Add(ProduceCommand.Create());
root.Subcommands.Add(ConsumeCommand.Consume());
root.Subcommands.Add(ConsumeCommand.Tail());
root.Subcommands.Add(InspectCommands.Groups());
root.Subcommands.Add(InspectCommands.Search());
root.Subcommands.Add(KeysCommand.Create());
return await root.Parse(args).InvokeAsync();
