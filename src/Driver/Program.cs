using Loam.Driver;
using Loam.Driver.Cli;

var parse = LoamCommandLine.Build().Parse(args);
if (parse.Errors.Count > 0)
{
    // Bad usage ends with its own exit code (ExitCodes.Usage), not the parser's generic 1.
    foreach (var error in parse.Errors)
        await Console.Error.WriteLineAsync($"loam: {error.Message}");
    await Console.Error.WriteLineAsync("Try 'loam --help'.");
    return ExitCodes.Usage;
}
// The host handles SIGTERM itself (drain in-flight calls, remove the socket); the parser must not.
return await parse.InvokeAsync(new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = null });
