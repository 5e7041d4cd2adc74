using Loam.Storage;
using Loam.Storage.Records;
using Loam.Storage.Volumes;
using Loam.Tests.Unit.Fakes;

namespace Loam.Tests.Unit.Storage;

public sealed class NodeAttachmentsTests : IDisposable
{
    private static readonly VolumeCapabilitySpec Writer = new(AccessType.Mount, AccessMode.SingleNodeWriter);
    private readonly StorageHarness _h = new(sharedPool: true, maxVolumesPerNode: 2);

    public void Dispose() => _h.Dispose();

    private string Create(string name, string pool = "default", AccessMode mode = AccessMode.SingleNodeWriter) =>
        _h.Provisioner.Create(StorageHarness.Spec(name, mode: mode, parameters: new() { ["pool"] = pool })).Id.Value;

    private void RegisterNode(string nodeId) =>
        RecordFile.Write(_h.Files, Path.Combine(_h.PoolSet.Find("shared")!.NodesDirectory, nodeId + ".json"),
            new NodeRegistration(nodeId, 0, DateTimeOffset.UnixEpoch), StorageJson.Default.NodeRegistration);

    [Fact]
    public void Publishing_records_the_attachment_and_returns_a_context()
    {
        var id = Create("v");

        var context = _h.Attachments.Publish(id, "node-a", Writer, readOnly: false);

        Assert.Equal("default", context[NodeAttachments.PoolContextKey]);
        Assert.Equal([new Attachment("node-a", false, AccessMode.SingleNodeWriter)], _h.Store.Find(id)!.Record.Attachments);
    }

    [Fact]
    public void Publishing_twice_the_same_way_is_idempotent()
    {
        var id = Create("v");
        _h.Attachments.Publish(id, "node-a", Writer, false);

        _h.Attachments.Publish(id, "node-a", Writer, false);

        Assert.Single(_h.Store.Find(id)!.Record.Attachments);
    }

    [Fact]
    public void Publishing_again_read_only_is_incompatible()
    {
        var id = Create("v");
        _h.Attachments.Publish(id, "node-a", Writer, false);

        Assert.Equal(StorageError.AlreadyExists, Assert.Throws<StorageException>(() => _h.Attachments.Publish(id, "node-a", Writer, true)).Error);
    }

    [Fact]
    public void Unknown_nodes_and_volumes_are_not_found()
    {
        var id = Create("v");

        Assert.Equal(StorageError.NotFound, Assert.Throws<StorageException>(() => _h.Attachments.Publish(id, "ghost", Writer, false)).Error);
        Assert.Equal(StorageError.NotFound, Assert.Throws<StorageException>(() => _h.Attachments.Publish("vol-00000000000000000000000000000000", "node-a", Writer, false)).Error);
        Assert.Equal(StorageError.NotFound, Assert.Throws<StorageException>(() => _h.Attachments.Publish("../../x", "node-a", Writer, false)).Error);
    }

    [Fact]
    public void A_single_node_volume_attached_elsewhere_fails_the_precondition_and_names_the_node()
    {
        RegisterNode("node-b");
        var id = Create("v", pool: "shared");
        _h.Attachments.Publish(id, "node-a", Writer, false);

        var e = Assert.Throws<StorageException>(() => _h.Attachments.Publish(id, "node-b", Writer, false));

        Assert.Equal(StorageError.FailedPrecondition, e.Error);
        Assert.Contains("node-a", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_local_volume_cannot_attach_to_another_node()
    {
        RegisterNode("node-b");
        var id = Create("v");

        Assert.Equal(StorageError.FailedPrecondition, Assert.Throws<StorageException>(() => _h.Attachments.Publish(id, "node-b", Writer, false)).Error);
    }

    [Fact]
    public void Readers_on_many_nodes_share_a_volume_in_a_shared_pool()
    {
        RegisterNode("node-b");
        var reader = new VolumeCapabilitySpec(AccessType.Mount, AccessMode.MultiNodeReaderOnly);
        var id = Create("v", pool: "shared", mode: AccessMode.MultiNodeReaderOnly);

        _h.Attachments.Publish(id, "node-a", reader, true);
        _h.Attachments.Publish(id, "node-b", reader, true);

        Assert.Equal(2, _h.Store.Find(id)!.Record.Attachments.Count);
    }

    [Fact]
    public void A_reader_only_mode_must_be_published_read_only()
    {
        var id = Create("v");

        Assert.Equal(StorageError.InvalidArgument,
            Assert.Throws<StorageException>(() => _h.Attachments.Publish(id, "node-a", new VolumeCapabilitySpec(AccessType.Mount, AccessMode.SingleNodeReaderOnly), false)).Error);
    }

    [Fact]
    public void The_node_attach_limit_is_resource_exhausted()
    {
        _h.Attachments.Publish(Create("a"), "node-a", Writer, false);
        _h.Attachments.Publish(Create("b"), "node-a", Writer, false);

        var e = Assert.Throws<StorageException>(() => _h.Attachments.Publish(Create("c"), "node-a", Writer, false));

        Assert.Equal(StorageError.ResourceExhausted, e.Error);
    }

    [Fact]
    public void Unpublishing_is_idempotent_and_an_empty_node_detaches_everywhere()
    {
        RegisterNode("node-b");
        var reader = new VolumeCapabilitySpec(AccessType.Mount, AccessMode.MultiNodeReaderOnly);
        var id = Create("v", pool: "shared", mode: AccessMode.MultiNodeReaderOnly);
        _h.Attachments.Publish(id, "node-a", reader, true);
        _h.Attachments.Publish(id, "node-b", reader, true);

        _h.Attachments.Unpublish(id, "node-a");
        _h.Attachments.Unpublish(id, "node-a");
        Assert.Equal("node-b", Assert.Single(_h.Store.Find(id)!.Record.Attachments).NodeId);

        _h.Attachments.Unpublish(id, "");
        Assert.Empty(_h.Store.Find(id)!.Record.Attachments);
        _h.Attachments.Unpublish("vol-00000000000000000000000000000000", "node-a");
    }
}
