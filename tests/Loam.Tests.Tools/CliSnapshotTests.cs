namespace Loam.Tests.Tools;

/// <summary>`loam snapshot ...` against a real driver.</summary>
public sealed class CliSnapshotTests : IAsyncLifetime
{
    private ToolWorld _world = null!;

    public async Task InitializeAsync() => _world = await ToolWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private async Task<string> CreateVolumeAsync(string name) =>
        (await _world.LoamAsync("volume", "create", name, "--size", "16Mi", "--json")).Succeeded().Json().GetProperty("volume_id").GetString()!;

    [Fact]
    public async Task A_snapshot_is_created_listed_restored_and_deleted()
    {
        var volume = await CreateVolumeAsync("cli-snapsrc");
        var snapshot = (await _world.LoamAsync("snapshot", "create", "nightly", "--volume", volume, "--json")).Succeeded().Json();
        var id = snapshot.GetProperty("snapshot_id").GetString()!;
        Assert.Matches("^snap-[0-9a-f]{32}$", id);
        Assert.Equal(volume, snapshot.GetProperty("source_volume_id").GetString());
        Assert.True(snapshot.GetProperty("ready_to_use").GetBoolean());
        Assert.Equal(id, (await _world.LoamAsync("snapshot", "create", "nightly", "--volume", volume, "--json")).Succeeded().Json().GetProperty("snapshot_id").GetString());

        var table = (await _world.LoamAsync("snapshot", "list")).Succeeded();
        Assert.StartsWith("ID", table.Output);
        Assert.Contains(id, table.Output);
        Assert.Equal([id], (await _world.LoamAsync("snapshot", "list", "--json")).Succeeded().Json().EnumerateArray().Select(s => s.GetProperty("snapshot_id").GetString()));

        var restored = (await _world.LoamAsync("volume", "create", "cli-restored", "--size", "16Mi", "--from-snapshot", id, "--json")).Succeeded().Json();
        Assert.Equal(id, restored.GetProperty("source_snapshot_id").GetString());

        (await _world.LoamAsync("volume", "delete", restored.GetProperty("volume_id").GetString()!)).Succeeded();
        Assert.Equal($"deleted {id}\n", (await _world.LoamAsync("snapshot", "delete", id)).Succeeded().Output);
        Assert.Equal(0, (await _world.LoamAsync("snapshot", "list", "--json")).Succeeded().Json().GetArrayLength());
    }

    [Fact]
    public async Task A_snapshot_of_a_missing_volume_is_NOT_FOUND_with_exit_code_15()
    {
        var run = await _world.LoamAsync("snapshot", "create", "s1", "--volume", "vol-0123456789abcdef0123456789abcdef");
        Assert.Equal(15, run.ExitCode);
        Assert.StartsWith("loam snapshot create: NOT_FOUND: ", run.Error);
    }

    [Fact]
    public async Task Snapshot_create_needs_a_volume()
    {
        var run = await _world.LoamAsync("snapshot", "create", "s1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--volume", run.Error);
    }
}
