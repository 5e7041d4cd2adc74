namespace Loam.Tests.Tools;

/// <summary>`loam info` and `loam volume ...` against a real driver: tables, JSON and exit codes.</summary>
public sealed class CliVolumeTests : IAsyncLifetime
{
    private ToolWorld _world = null!;

    public async Task InitializeAsync() => _world = await ToolWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Info_names_the_plugin_and_lists_the_capabilities_of_every_service()
    {
        var table = (await _world.LoamAsync("info")).Succeeded();
        Assert.Contains("name:     loam.csi.dev", table.Output);
        Assert.Matches(@"(?m)^controller +CREATE_DELETE_VOLUME$", table.Output);
        Assert.Matches(@"(?m)^controller +CREATE_DELETE_SNAPSHOT$", table.Output);
        Assert.Matches(@"(?m)^node +STAGE_UNSTAGE_VOLUME$", table.Output);

        var json = (await _world.LoamAsync("info", "--json")).Succeeded().Json();
        Assert.Equal("loam.csi.dev", json.GetProperty("name").GetString());
        Assert.True(json.GetProperty("ready").GetBoolean());
        Assert.Contains("CONTROLLER_SERVICE", json.GetProperty("plugin").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("GET_VOLUME", json.GetProperty("controller").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_volume_is_created_listed_read_expanded_and_deleted()
    {
        var created = (await _world.LoamAsync("volume", "create", "cli-a", "--size", "64Mi", "--fs", "xfs", "--param", "provisioning=thin", "--json")).Succeeded().Json();
        var id = created.GetProperty("volume_id").GetString()!;
        Assert.Matches("^vol-[0-9a-f]{32}$", id);
        Assert.Equal(300L << 20, created.GetProperty("capacity_bytes").GetInt64()); // raised to the xfs minimum
        Assert.Equal("xfs", created.GetProperty("volume_context").GetProperty("loam.csi.dev/fstype").GetString());

        var list = (await _world.LoamAsync("volume", "list")).Succeeded();
        Assert.StartsWith("ID", list.Output);
        Assert.Contains(id, list.Output);
        Assert.Contains("300Mi", list.Output);

        var listed = (await _world.LoamAsync("volume", "list", "--json")).Succeeded().Json();
        Assert.Equal([id], listed.EnumerateArray().Select(v => v.GetProperty("volume_id").GetString()));

        var got = (await _world.LoamAsync("volume", "get", id, "--json")).Succeeded().Json();
        Assert.Equal(id, got.GetProperty("volume_id").GetString());

        var expanded = (await _world.LoamAsync("volume", "expand", id, "--size", "1Gi", "--json")).Succeeded().Json();
        Assert.Equal(1L << 30, expanded.GetProperty("capacity_bytes").GetInt64());
        Assert.Contains("1Gi", (await _world.LoamAsync("volume", "get", id)).Succeeded().Output);

        Assert.Equal($"deleted {id}\n", (await _world.LoamAsync("volume", "delete", id)).Succeeded().Output);
        Assert.Equal(0, (await _world.LoamAsync("volume", "list", "--json")).Succeeded().Json().GetArrayLength());
    }

    [Fact]
    public async Task A_block_volume_and_a_clone_of_it_are_created()
    {
        var source = (await _world.LoamAsync("volume", "create", "cli-block", "--size", "8Mi", "--block", "--json")).Succeeded().Json().GetProperty("volume_id").GetString()!;
        var clone = (await _world.LoamAsync("volume", "create", "cli-clone", "--size", "8Mi", "--block", "--from-volume", source, "--json")).Succeeded().Json();
        Assert.Equal(source, clone.GetProperty("source_volume_id").GetString());
        Assert.Equal(8L << 20, clone.GetProperty("capacity_bytes").GetInt64());
        var row = (await _world.LoamAsync("volume", "list")).Succeeded().Output.Split('\n').Single(l => l.StartsWith(clone.GetProperty("volume_id").GetString()!, StringComparison.Ordinal));
        Assert.Contains(source, row); // the SOURCE column
    }

    [Fact]
    public async Task A_missing_volume_is_NOT_FOUND_with_exit_code_15()
    {
        var run = await _world.LoamAsync("volume", "get", "vol-0123456789abcdef0123456789abcdef");
        Assert.Equal(15, run.ExitCode);
        Assert.StartsWith("loam volume get: NOT_FOUND: ", run.Error);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task A_bad_size_is_a_usage_error_with_exit_code_2_and_makes_nothing()
    {
        var run = await _world.LoamAsync("volume", "create", "cli-bad", "--size", "lots");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--size 'lots' is not a size", run.Error);
        Assert.Equal(0, (await _world.LoamAsync("volume", "list", "--json")).Succeeded().Json().GetArrayLength());
    }

    [Fact]
    public async Task An_unknown_parameter_is_the_drivers_INVALID_ARGUMENT_with_exit_code_13()
    {
        var run = await _world.LoamAsync("volume", "create", "cli-typo", "--size", "16Mi", "--param", "pooll=default");
        Assert.Equal(13, run.ExitCode);
        Assert.Contains("INVALID_ARGUMENT", run.Error);
        Assert.Contains("pooll", run.Error);
    }

    [Fact]
    public async Task Missing_arguments_and_unknown_verbs_are_usage_errors()
    {
        Assert.Equal(2, (await _world.LoamAsync("volume", "create", "no-size")).ExitCode);
        Assert.Equal(2, (await _world.LoamAsync("volume", "frobnicate")).ExitCode);
        Assert.Equal(2, (await _world.LoamAsync("volume", "create", "x", "--size", "1Gi", "--fs", "ntfs")).ExitCode);
        var both = await _world.LoamAsync("volume", "create", "x", "--size", "1Gi", "--fs", "ext4", "--block");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("exclude each other", both.Error);
    }

    [Fact]
    public async Task An_endpoint_nobody_listens_on_is_UNAVAILABLE_with_exit_code_24()
    {
        var run = await _world.LoamAsync("info", "--endpoint", "unix://" + _world.Root.Combine("nobody.sock"));
        Assert.Equal(24, run.ExitCode);
        Assert.Contains("UNAVAILABLE", run.Error);
        Assert.StartsWith($"loam info: UNAVAILABLE: no CSI driver answers on {_world.Endpoint[..^"csi.sock".Length]}nobody.sock", run.Error);
    }
}
