using System.Globalization;
using System.Runtime.InteropServices;
using Loam.Tests.Chaos.Soak;

namespace Loam.Tests.Chaos;

/// <summary>
/// The long kill soak from the command line (as root):
/// <c>dotnet Loam.Tests.Chaos.dll soak --kills 1000 --seed 42 [--slots 3] [--kills-per-iteration 5] [--containers]</c>.
/// Prints progress and a summary; exit code 0 only when nothing failed. SIGINT and SIGTERM stop
/// it after the current iteration, and everything it mounted or attached is removed on the way out.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] != "soak")
        {
            Console.Error.WriteLine("usage: Loam.Tests.Chaos soak --kills N --seed S [--slots K] [--kills-per-iteration M] [--reboot-every R] [--no-copies] [--containers]");
            return 2;
        }
        var options = new SoakOptions { Log = Console.Out };
        for (var i = 1; i < args.Length; i += 2)
        {
            if (args[i] == "--no-copies")
            {
                options = options with { Copies = false };
                i--;
                continue;
            }
            if (args[i] == "--containers")
            {
                options = options with { Containers = true };
                i--;
                continue;
            }
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--kills" => options with { Kills = value },
                "--seed" => options with { Seed = value },
                "--slots" => options with { Slots = value, Names = Math.Max(options.Names, value * 2) },
                "--kills-per-iteration" => options with { KillsPerIteration = value },
                "--reboot-every" => options with { RebootEvery = value },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        StaleSoaks.CleanUp(Console.Out);
        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var result = await new SoakRun(options).RunAsync(stop.Token);
        Console.WriteLine(result);
        return result.Failures.Count == 0 ? 0 : 1;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            Console.WriteLine("stopping after this iteration; cleaning up");
            stop.Cancel();
        }
    }
}
