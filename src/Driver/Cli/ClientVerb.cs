using System.CommandLine;
using Grpc.Core;
using Loam.Client;
using Loam.Csi;

namespace Loam.Driver.Cli;

/// <summary>
/// Builds a client verb: its own arguments plus <c>--endpoint</c> and <c>--json</c>, a
/// connection to the endpoint, and one place that turns failures into a message on stderr
/// and an exit code (<see cref="ExitCodes"/>).
/// </summary>
public static class ClientVerb
{
    public static Command Create(string name, string description, Func<ParseResult, CliContext, CancellationToken, Task> run, params Symbol[] symbols)
    {
        var endpoint = new Option<string>("--endpoint")
        {
            Description = $"CSI endpoint, unix:///PATH (env CSI_ENDPOINT; default {UnixSocketEndpoint.DefaultAddress}, where `loam serve` listens)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CSI_ENDPOINT") is { Length: > 0 } e ? e : UnixSocketEndpoint.DefaultAddress,
        };
        var json = new Option<bool>("--json") { Description = "answer in JSON (one document on stdout) instead of a table" };
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument: command.Arguments.Add(argument); break;
                case Option option: command.Options.Add(option); break;
                default: throw new ArgumentException($"unsupported symbol {symbol.Name}", nameof(symbols));
            }
        }
        command.Options.Add(endpoint);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var verb = "loam " + string.Join(' ', Ancestry(parse.CommandResult));
            var address = parse.GetValue(endpoint)!;
            try
            {
                using var connection = Open(address);
                await run(parse, new CliContext(new CsiClient(connection), parse.GetValue(json)), cancellationToken);
                return ExitCodes.Success;
            }
            catch (RpcException e)
            {
                var detail = e.Status.Detail is { Length: > 0 } d ? d : e.StatusCode == StatusCode.Unimplemented ? "the endpoint does not implement this call" : "(no message)";
                if (e.StatusCode == StatusCode.Unavailable)
                    detail = $"no CSI driver answers on {address} ({detail})";
                await Console.Error.WriteLineAsync($"{verb}: {CsiNames.Of(e.StatusCode)}: {detail}");
                return ExitCodes.For(e.StatusCode);
            }
            catch (CliException e)
            {
                await Console.Error.WriteLineAsync($"{verb}: {e.Message}");
                return e.ExitCode;
            }
        });
        return command;
    }

    private static CsiConnection Open(string endpoint)
    {
        try
        {
            return CsiConnection.Open(endpoint);
        }
        catch (ArgumentException e)
        {
            throw CliException.Usage(e.Message);
        }
    }

    private static IEnumerable<string> Ancestry(System.CommandLine.Parsing.CommandResult? result)
    {
        var names = new Stack<string>();
        for (var current = result; current?.Parent is System.CommandLine.Parsing.CommandResult; current = current.Parent as System.CommandLine.Parsing.CommandResult)
            names.Push(current.Command.Name);
        return names;
    }
}
