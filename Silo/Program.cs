// The Efflux silo: `dotnet run --project Silo` serves REST, OpenAPI and health on http://localhost:5080 and the
// gateway on port 30000, with data in ./data of the working directory (Silo/data under dotnet run). Settings: the Efflux section (appsettings, EFFLUX__* variables, --Efflux:*).
await Efflux.Silo.SiloApp.Build(args).RunAsync();
