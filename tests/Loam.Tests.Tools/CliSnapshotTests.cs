namespace Loam.Tests.Tools;

/// <summary>`loam snapshot ...` against a real driver.</summary>
public sealed class CliSnapshotTests : IAsyncLifetime
{
    private ToolWorld _world = null!;

    public async Task InitializeAsync() => _world = await ToolWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Snapshot_verbs_report_an_unimplemented_controller_cleanly()
    {
        var volume = (await _world.LoamAsync("volume", "create", "cli-snapsrc", "--size", "16Mi", "--json")).Succeeded().Json().GetProperty("volume_id").GetString()!;
        foreach (var arguments in new[] { new[] { "snapshot", "create", "s1", "--volume", volume }, ["snapshot", "list"], ["snapshot", "delete", "snap-0123456789abcdef0123456789abcdef"] })
        {
            var run = await _world.LoamAsync(arguments);
            Assert.Equal(22, run.ExitCode);
            Assert.StartsWith($"loam snapshot {arguments[1]}: UNIMPLEMENTED: ", run.Error);
        }
    }

    [Fact]
    public async Task Snapshot_create_needs_a_volume()
    {
        var run = await _world.LoamAsync("snapshot", "create", "s1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--volume", run.Error);
    }
}
