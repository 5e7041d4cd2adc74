using Loam.Storage.Os;
using Loam.Tests.Unit.Fakes;

namespace Loam.Tests.Unit.Storage;

/// <summary>Every external command is logged with its arguments and exit code, by the one runner.</summary>
public sealed class CommandRunnerLogTests
{
    [Fact]
    public async Task A_command_is_logged_with_its_arguments_and_exit_code()
    {
        var loggers = new CapturingLoggers();
        var runner = new CommandRunner(loggers.For<CommandRunner>());

        var result = await runner.RunAsync("sh", ["-c", "exit 3"], TimeSpan.FromMinutes(1));

        Assert.Equal(3, result.ExitCode);
        var line = Assert.Single(loggers.Lines);
        Assert.Contains("sh -c exit 3", line.Message, StringComparison.Ordinal);
        Assert.Contains("exit 3", line.Message, StringComparison.Ordinal);
        Assert.Contains("ExitCode=3", line.Values);
    }

    [Fact]
    public async Task A_missing_tool_is_logged_before_the_error_reaches_the_caller()
    {
        var loggers = new CapturingLoggers();
        var runner = new CommandRunner(loggers.For<CommandRunner>());

        await Assert.ThrowsAsync<Loam.Storage.StorageException>(
            () => runner.RunAsync("loam-no-such-tool", ["--flag"], TimeSpan.FromMinutes(1)));

        Assert.Contains(loggers.Lines, l => l.Mentions("loam-no-such-tool --flag"));
    }
}
