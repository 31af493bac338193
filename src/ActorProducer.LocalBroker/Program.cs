// Standalone LocalBroker: dotnet run --project src/ActorProducer.LocalBroker -- --port 8081 --topic orders:NORMAL
return await ActorProducer.LocalBroker.Cli.LocalBrokerCommandLine.RunAsync(args);
