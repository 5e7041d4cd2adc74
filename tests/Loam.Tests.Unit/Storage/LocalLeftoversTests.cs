using Loam.Storage;
using Loam.Storage.Nodes;
using Loam.Storage.Volumes;
using Loam.Tests.Unit.Fakes;
using Moq;

namespace Loam.Tests.Unit.Storage;

/// <summary>
/// The rule that lets Swarm's lifecycle converge: what the controller may undo on its own node,
/// told by the node's view of the kernel (a mock: the contract is which calls are made).
/// </summary>
public sealed class LocalLeftoversTests : IDisposable
{
    private static readonly VolumeCapabilitySpec Mount = new(AccessType.Mount, AccessMode.SingleNodeWriter);
    private static readonly NodeVolumeUse StagedIdle = new(["/dev/loop3"], "/data/staged/v", []);
    private static readonly NodeVolumeUse Published = new(["/dev/loop3"], null, ["/data/staged/v", "/data/published/v"]);

    private readonly StorageHarness _h = new(nodeId: "node-a", sharedPool: true);
    private readonly Mock<INodeVolumeUse> _node = new(MockBehavior.Strict);
    private readonly LocalLeftovers _leftovers;

    public LocalLeftoversTests() => _leftovers = new LocalLeftovers(_h.Store, _node.Object, _h.Options);

    public void Dispose() => _h.Dispose();

    private StoredVolume Attached(string name, string pool = "default")
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec(name, parameters: new() { ["pool"] = pool }));
        _h.Attachments.Publish(volume.Id.Value, "node-a", Mount, readOnly: false);
        return _h.Store.Find(volume.Id)!;
    }

    private void NodeHolds(StoredVolume volume, NodeVolumeUse? use) =>
        _node.Setup(n => n.Read(It.Is<StoredVolume>(v => v.Id == volume.Id))).Returns(use);

    [Fact]
    public void Delete_of_a_volume_staged_here_with_no_target_unstages_it_and_releases_its_attachment()
    {
        var volume = Attached("swarm");
        NodeHolds(volume, StagedIdle);
        _node.Setup(n => n.Unstage(It.Is<StoredVolume>(v => v.Id == volume.Id), StagedIdle));

        _leftovers.BeforeDelete(volume.Id);

        _node.Verify(n => n.Unstage(It.IsAny<StoredVolume>(), StagedIdle), Times.Once);
        Assert.Empty(_h.Store.Find(volume.Id)!.Record.Attachments);
    }

    [Fact]
    public void Delete_releases_an_attachment_to_this_node_when_nothing_is_staged_or_published_here()
    {
        var volume = Attached("restarted");
        NodeHolds(volume, NodeVolumeUse.Nothing);

        _leftovers.BeforeDelete(volume.Id);

        _node.Verify(n => n.Unstage(It.IsAny<StoredVolume>(), It.IsAny<NodeVolumeUse>()), Times.Never);
        Assert.Empty(_h.Store.Find(volume.Id)!.Record.Attachments);
        Assert.True(_h.Provisioner.Delete(volume.Id));
    }

    [Fact]
    public void Delete_of_a_volume_published_here_is_refused_naming_the_targets_and_nothing_changes()
    {
        var volume = Attached("in-use");
        NodeHolds(volume, Published);

        var e = Assert.Throws<StorageException>(() => _leftovers.BeforeDelete(volume.Id));

        Assert.Equal(StorageError.FailedPrecondition, e.Error);
        Assert.Contains("/data/published/v", e.Message, StringComparison.Ordinal);
        _node.Verify(n => n.Unstage(It.IsAny<StoredVolume>(), It.IsAny<NodeVolumeUse>()), Times.Never);
        Assert.Equal("node-a", Assert.Single(_h.Store.Find(volume.Id)!.Record.Attachments).NodeId);
    }

    [Fact]
    public void A_controller_only_process_sees_no_node_and_keeps_every_attachment()
    {
        var volume = Attached("controller-only");
        var leftovers = new LocalLeftovers(_h.Store, new UnservedNode(), _h.Options);

        leftovers.BeforeDelete(volume.Id);
        leftovers.BeforeUnpublish(volume.Id.Value, "node-a");

        Assert.Single(_h.Store.Find(volume.Id)!.Record.Attachments);
    }

    [Fact]
    public void A_shared_pool_volume_is_left_to_the_CO_even_when_this_node_holds_it()
    {
        var volume = Attached("shared", pool: "shared");

        _leftovers.BeforeDelete(volume.Id);
        _leftovers.BeforeUnpublish(volume.Id.Value, "node-a");

        _node.Verify(n => n.Read(It.IsAny<StoredVolume>()), Times.Never);
        Assert.Single(_h.Store.Find(volume.Id)!.Record.Attachments);
    }

    [Fact]
    public void Unpublish_for_this_node_unstages_a_volume_left_staged_with_no_target()
    {
        var volume = Attached("detach");
        NodeHolds(volume, StagedIdle);
        _node.Setup(n => n.Unstage(It.IsAny<StoredVolume>(), StagedIdle));

        _leftovers.BeforeUnpublish(volume.Id.Value, "node-a");

        _node.Verify(n => n.Unstage(It.Is<StoredVolume>(v => v.Id == volume.Id), StagedIdle), Times.Once);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Unpublish_never_unstages_a_published_volume_nor_asks_about_another_node(bool thisNode)
    {
        var volume = Attached("kept");
        NodeHolds(volume, Published);

        _leftovers.BeforeUnpublish(volume.Id.Value, thisNode ? "node-a" : "node-b");

        _node.Verify(n => n.Read(It.IsAny<StoredVolume>()), thisNode ? Times.Once : Times.Never);
        _node.Verify(n => n.Unstage(It.IsAny<StoredVolume>(), It.IsAny<NodeVolumeUse>()), Times.Never);
    }
}
