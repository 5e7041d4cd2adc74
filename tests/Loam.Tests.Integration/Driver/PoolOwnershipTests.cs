namespace Loam.Tests.Integration.Driver;

/// <summary>One server per role and pool on a host: the real `loam serve`, started twice on one pool.</summary>
public sealed class PoolOwnershipTests
{
    [Fact]
    public async Task A_second_driver_in_mode_all_on_the_same_pool_exits_naming_the_first()
    {
        using var root = new TestRoot("owners");
        var pool = root.Folder("pool");
        await using var first = await DriverProcess.StartAsync(root.Combine("first.sock"), ["--node-id", "host-a", "--pool", $"default={pool}"]);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            // Should it start after all, it is stopped again before the test fails.
            await using var second = await DriverProcess.StartAsync(root.Combine("second.sock"), ["--node-id", "host-b", "--pool", $"default={pool}"]);
        });

        Assert.Contains("exited with 1", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"already served as controller on this node by pid {first.Pid} on node host-a (mode all", refused.Message, StringComparison.Ordinal);
        Assert.Contains(root.Combine("first.sock"), refused.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(root.Combine("first.sock")), "the refused driver must leave the first one's socket alone");
        Assert.False(first.HasExited);
    }

    [Fact]
    public async Task A_controller_and_a_node_process_share_a_pool_and_a_restart_takes_it_over()
    {
        using var root = new TestRoot("owners-split");
        var pool = root.Folder("pool");
        await using var controller = await DriverProcess.StartAsync(root.Combine("controller.sock"), ["--mode", "controller", "--node-id", "host-a", "--pool", $"default={pool}"]);
        var node = await DriverProcess.StartAsync(root.Combine("node.sock"), ["--mode", "node", "--node-id", "host-a", "--pool", $"default={pool}"]);

        await node.KillAsync();
        await node.DisposeAsync();
        await using var again = await DriverProcess.StartAsync(root.Combine("node2.sock"), ["--mode", "node", "--node-id", "host-a", "--pool", $"default={pool}"]);

        Assert.False(controller.HasExited);
        Assert.False(again.HasExited);
    }
}
