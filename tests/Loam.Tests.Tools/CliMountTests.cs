namespace Loam.Tests.Tools;

/// <summary>`loam mount`, `loam stats` and `loam unmount` on a real ext4 pool: real loop devices and mounts (root).</summary>
public sealed class CliMountTests : IAsyncLifetime
{
    private ToolWorld _world = null!;

    public async Task InitializeAsync()
    {
        if (Privileges.IsRoot)
            _world = await ToolWorld.StartAsync(realPool: true);
    }

    public async Task DisposeAsync()
    {
        if (_world is not null)
            await _world.DisposeAsync();
    }

    private async Task<string> CreateAsync(string name) =>
        (await _world.LoamAsync("volume", "create", name, "--size", "32Mi", "--json")).Succeeded().Json().GetProperty("volume_id").GetString()!;

    [RootFact]
    public async Task Mount_stages_and_publishes_and_unmount_undoes_everything()
    {
        var id = await CreateAsync("cli-mount");
        var target = Path.Combine(_world.MountRoot, "pod", "data");

        var mounted = (await _world.LoamAsync("mount", id, target)).Succeeded();
        Assert.StartsWith($"mounted {id} at {target} (staged at {_world.MountRoot}/pod/.loam-staging-", mounted.Output);
        await File.WriteAllTextAsync(Path.Combine(target, "hello"), "through the volume");
        Assert.Equal(2, MountCleanup.MountsUnder(_world.MountRoot + "/").Count); // staging and target
        Assert.Contains(NodeId(), (await _world.LoamAsync("volume", "get", id)).Succeeded().Output); // attached (ControllerPublish)

        var stats = (await _world.LoamAsync("stats", target, "--json")).Succeeded().Json();
        Assert.Equal(id, stats.GetProperty("volume_id").GetString());
        Assert.Contains("bytes", stats.GetProperty("usage").EnumerateArray().Select(u => u.GetProperty("unit").GetString()));
        Assert.Contains("healthy", (await _world.LoamAsync("stats", target)).Succeeded().Output);

        Assert.Equal($"unmounted {target}\n", (await _world.LoamAsync("unmount", target)).Succeeded().Output);
        Assert.Empty(MountCleanup.MountsUnder(_world.MountRoot + "/"));
        Assert.Empty(_world.Driver.Csi.Controller.ListVolumes(new()).Entries.Single().Status.PublishedNodeIds);
        Assert.DoesNotContain(".loam-staging-", string.Join(' ', Directory.GetDirectories(Path.Combine(_world.MountRoot, "pod"))));

        // Mounted again, the data is still there.
        (await _world.LoamAsync("mount", id, target, "--ro")).Succeeded();
        Assert.Equal("through the volume", await File.ReadAllTextAsync(Path.Combine(target, "hello")));
        Assert.Throws<IOException>(() => File.WriteAllText(Path.Combine(target, "more"), "x"));
        (await _world.LoamAsync("unmount", target)).Succeeded();
        Assert.Empty(MountCleanup.MountsUnder(_world.MountRoot + "/"));
    }

    [RootFact]
    public async Task A_block_volume_is_published_as_a_device_file()
    {
        var id = (await _world.LoamAsync("volume", "create", "cli-blk", "--size", "8Mi", "--block", "--json")).Succeeded().Json().GetProperty("volume_id").GetString()!;
        var target = Path.Combine(_world.MountRoot, "pod", "dev");
        (await _world.LoamAsync("mount", id, target, "--block")).Succeeded();
        Assert.Equal(8L << 20, long.Parse(Shell.Run("blockdev", "--getsize64", target).Trim(), System.Globalization.CultureInfo.InvariantCulture));
        (await _world.LoamAsync("unmount", target)).Succeeded();
        Assert.Empty(MountCleanup.MountsUnder(_world.MountRoot + "/"));
    }

    [RootFact]
    public async Task Mounting_a_path_twice_or_unmounting_a_path_it_never_mounted_is_exit_code_3()
    {
        var id = await CreateAsync("cli-twice");
        var target = Path.Combine(_world.MountRoot, "pod", "twice");
        (await _world.LoamAsync("mount", id, target)).Succeeded();

        var again = await _world.LoamAsync("mount", id, target);
        Assert.Equal(3, again.ExitCode);
        Assert.Contains("already mounted", again.Error);

        var unknown = await _world.LoamAsync("unmount", Path.Combine(_world.MountRoot, "elsewhere"));
        Assert.Equal(3, unknown.ExitCode);
        Assert.Contains("was not mounted by loam mount", unknown.Error);

        var noStats = await _world.LoamAsync("stats", Path.Combine(_world.MountRoot, "elsewhere"));
        Assert.Equal(3, noStats.ExitCode);
        (await _world.LoamAsync("unmount", target)).Succeeded();
    }

    [RootFact]
    public async Task A_mount_the_driver_refuses_leaves_nothing_behind()
    {
        var missing = await _world.LoamAsync("mount", "vol-0123456789abcdef0123456789abcdef", Path.Combine(_world.MountRoot, "pod", "none"));
        Assert.Equal(15, missing.ExitCode);
        Assert.Contains("NOT_FOUND", missing.Error);

        // A target outside the driver's allowed root: ControllerPublish succeeds, stage is refused, and the attach is undone.
        var id = await CreateAsync("cli-outside");
        var outside = await _world.LoamAsync("mount", id, _world.Root.Combine("outside", "t"));
        Assert.NotEqual(0, outside.ExitCode);
        Assert.Empty(MountCleanup.MountsUnder(_world.MountRoot + "/"));
        Assert.Empty(MountCleanup.MountsUnder(_world.Root.Combine("outside") + "/"));
        Assert.Empty(_world.Driver.Csi.Controller.ListVolumes(new()).Entries.Single(e => e.Volume.VolumeId == id).Status.PublishedNodeIds);
        Assert.False(File.Exists(_world.StateFile) && File.ReadAllText(_world.StateFile).Contains(id, StringComparison.Ordinal));
    }

    private static string NodeId() => ToolWorld.NodeId;
}
