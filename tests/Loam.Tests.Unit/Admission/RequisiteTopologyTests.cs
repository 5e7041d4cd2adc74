using Loam.Storage;
using Loam.Tests.Unit.Fakes;

namespace Loam.Tests.Unit.Admission;

public sealed class RequisiteTopologyTests : IDisposable
{
    private readonly StorageHarness _h = new(sharedPool: true);

    public void Dispose() => _h.Dispose();

    [Fact]
    public void A_requisite_segment_with_a_key_loam_never_reports_cannot_be_met()
    {
        var spec = StorageHarness.Spec("zoned") with
        {
            RequisiteTopology = [new Dictionary<string, string> { ["example.com/zone"] = "nowhere" }],
        };

        var e = Assert.Throws<StorageException>(() => _h.Provisioner.Create(spec));

        Assert.Equal(StorageError.ResourceExhausted, e.Error);
        Assert.Empty(Directory.GetFiles(_h.Pool.VolumesDirectory));
    }

    [Fact]
    public void This_nodes_segment_among_others_is_met()
    {
        var spec = StorageHarness.Spec("here") with
        {
            RequisiteTopology =
            [
                new Dictionary<string, string> { ["example.com/zone"] = "nowhere" },
                new Dictionary<string, string> { [NodeTopology.NodeKey] = "node-b" },
                new Dictionary<string, string> { [NodeTopology.NodeKey] = "node-a" },
            ],
        };

        Assert.Equal("node-a", _h.Provisioner.Create(spec).Record.Node);
    }

    [Fact]
    public void This_nodes_key_with_an_unknown_key_beside_it_is_not_met()
    {
        var segment = new Dictionary<string, string> { [NodeTopology.NodeKey] = "node-a", ["example.com/zone"] = "z1" };

        Assert.False(NodeTopology.Satisfies("node-a", [segment]));
    }

    [Fact]
    public void A_shared_pool_volume_is_reachable_from_every_node_so_any_requisite_is_met()
    {
        var spec = StorageHarness.Spec("everywhere", parameters: new() { ["pool"] = "shared" }) with
        {
            RequisiteTopology = [new Dictionary<string, string> { ["example.com/zone"] = "nowhere" }],
        };

        Assert.Null(_h.Provisioner.Create(spec).Record.Node);
    }
}
