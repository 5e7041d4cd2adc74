using Loam.Driver;

// The host handles SIGTERM itself (drain in-flight calls, remove the socket); the parser must not.
return await LoamCommandLine.Build().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = null });
