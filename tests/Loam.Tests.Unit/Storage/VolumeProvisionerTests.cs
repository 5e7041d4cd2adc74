using Loam.Storage;
using Loam.Storage.Os;
using Loam.Storage.Records;
using Loam.Storage.Volumes;
using Loam.Tests.Unit.Fakes;

namespace Loam.Tests.Unit.Storage;

public sealed class VolumeProvisionerTests : IDisposable
{
    private readonly StorageHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Create_makes_a_sparse_image_of_the_size_and_a_record()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("pvc-1", required: ByteSize.GiB));

        Assert.Equal(ByteSize.GiB, new FileInfo(volume.ImagePath).Length);
        Assert.True(_h.Images.AllocatedBytes(volume.ImagePath) < ByteSize.MiB, "a thin image allocates nothing up front");
        var record = Assert.IsType<VolumeRecord>(_h.Store.Find(volume.Id)?.Record);
        Assert.Equal("pvc-1", record.Name);
        Assert.Equal("ext4", record.FsType);
        Assert.Equal("node-a", record.Node);
        Assert.Equal(Provisioning.Thin, record.Provisioning);
    }

    [Fact]
    public void Thick_provisioning_allocates_the_whole_image()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("thick", required: 8 * ByteSize.MiB, limit: 8 * ByteSize.MiB,
            parameters: new() { ["provisioning"] = "thick" }, fsType: null) with
        {
            Capabilities = [new VolumeCapabilitySpec(AccessType.Block, AccessMode.SingleNodeWriter)],
        });

        Assert.True(_h.Images.AllocatedBytes(volume.ImagePath) >= 8 * ByteSize.MiB);
    }

    [Fact]
    public void Repeating_a_create_returns_the_same_volume()
    {
        var first = _h.Provisioner.Create(StorageHarness.Spec("pvc-1", required: ByteSize.GiB));
        var again = _h.Provisioner.Create(StorageHarness.Spec("pvc-1", required: ByteSize.GiB));

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(first.Record.CreatedAt, again.Record.CreatedAt);
    }

    [Fact]
    public void The_same_name_with_an_incompatible_size_already_exists()
    {
        _h.Provisioner.Create(StorageHarness.Spec("pvc-1", required: ByteSize.GiB, limit: ByteSize.GiB));

        var e = Assert.Throws<StorageException>(() => _h.Provisioner.Create(StorageHarness.Spec("pvc-1", required: 2 * ByteSize.GiB, limit: 2 * ByteSize.GiB)));

        Assert.Equal(StorageError.AlreadyExists, e.Error);
    }

    [Fact]
    public void A_full_pool_is_resource_exhausted_and_nothing_is_left()
    {
        _h.Space.TotalBytes = 100 * ByteSize.MiB;
        _h.Space.AvailableBytes = 100 * ByteSize.MiB;

        var e = Assert.Throws<StorageException>(() => _h.Provisioner.Create(StorageHarness.Spec("big", required: ByteSize.GiB)));

        Assert.Equal(StorageError.ResourceExhausted, e.Error);
        Assert.Contains("100Mi", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_h.Pool.VolumesDirectory));
    }

    [Fact]
    public void The_reserve_is_never_handed_out()
    {
        using var h = new StorageHarness();
        h.Space.AvailableBytes = 2 * ByteSize.GiB;
        var reserved = new Loam.Storage.Pools.PoolCapacity(h.Space, h.Store, h.Snapshots);
        var pool = new Loam.Storage.Pools.Pool(h.Pool.Options with { ReserveBytes = ByteSize.GiB + 1 });

        Assert.Equal(ByteSize.GiB - 1, reserved.Available(pool, Provisioning.Thick));
    }

    [Fact]
    public void Thin_volumes_may_promise_the_overcommit_ratio_thick_ones_may_not()
    {
        using var h = new StorageHarness();
        h.Space.TotalBytes = ByteSize.GiB;
        h.Space.AvailableBytes = ByteSize.GiB;
        var pool = new Loam.Storage.Pools.Pool(h.Pool.Options with { Overcommit = 3 });

        Assert.Equal(3 * ByteSize.GiB, h.Capacity.Available(pool, Provisioning.Thin));
        Assert.Equal(ByteSize.GiB, h.Capacity.Available(pool, Provisioning.Thick));
    }

    [Theory]
    [InlineData("pool", "nope")]
    [InlineData("provisioning", "fat")]
    [InlineData("compression", "on")]
    public void Unknown_parameters_and_values_are_invalid(string key, string value)
    {
        var e = Assert.Throws<StorageException>(() => _h.Provisioner.Create(StorageHarness.Spec("p", parameters: new() { [key] = value })));

        Assert.Equal(StorageError.InvalidArgument, e.Error);
        Assert.Contains(value == "on" ? key : value, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parameters_of_the_orchestrator_pass_through()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("p", parameters: new() { ["csi.storage.k8s.io/pvc/name"] = "data" }));

        Assert.Equal("data", volume.Record.Parameters["csi.storage.k8s.io/pvc/name"]);
    }

    [Fact]
    public void An_unsupported_filesystem_is_invalid() =>
        Assert.Equal(StorageError.InvalidArgument, Assert.Throws<StorageException>(() => _h.Provisioner.Create(StorageHarness.Spec("p", fsType: "ntfs"))).Error);

    [Fact]
    public void Xfs_volumes_are_at_least_300_MiB()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("x", required: 10 * ByteSize.MiB, fsType: "xfs"));

        Assert.Equal(300 * ByteSize.MiB, volume.Record.CapacityBytes);
        Assert.Equal("xfs", volume.Record.FsType);
    }

    [Fact]
    public void A_node_local_pool_cannot_serve_another_nodes_topology()
    {
        var spec = StorageHarness.Spec("p") with { RequisiteTopology = [new Dictionary<string, string> { [NodeTopology.NodeKey] = "node-b" }] };

        Assert.Equal(StorageError.ResourceExhausted, Assert.Throws<StorageException>(() => _h.Provisioner.Create(spec)).Error);
    }

    [Fact]
    public void A_multi_node_mode_needs_a_shared_pool() =>
        Assert.Equal(StorageError.InvalidArgument,
            Assert.Throws<StorageException>(() => _h.Provisioner.Create(StorageHarness.Spec("p", mode: AccessMode.MultiNodeReaderOnly))).Error);

    [Fact]
    public void A_shared_pool_volume_has_no_node_and_serves_readers_on_many_nodes()
    {
        using var h = new StorageHarness(sharedPool: true);

        var volume = h.Provisioner.Create(StorageHarness.Spec("p", mode: AccessMode.MultiNodeReaderOnly, parameters: new() { ["pool"] = "shared" }));

        Assert.Null(volume.Record.Node);
        Assert.Equal("shared", volume.Pool.Name);
    }

    [Fact]
    public void Delete_removes_record_and_image_and_a_second_delete_finds_nothing()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("p"));

        Assert.True(_h.Provisioner.Delete(volume.Id));
        Assert.False(_h.Provisioner.Delete(volume.Id));
        Assert.Empty(Directory.GetFiles(_h.Pool.VolumesDirectory));
    }

    [Fact]
    public void Delete_finishes_a_create_that_crashed_before_its_record()
    {
        var id = VolumeProvisioner.IdFor("half");
        File.WriteAllText(_h.Pool.ImagePath(id), "partial");

        Assert.False(_h.Provisioner.Delete(id));
        Assert.False(File.Exists(_h.Pool.ImagePath(id)));
    }

    [Fact]
    public void An_attached_volume_cannot_be_deleted()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("p"));
        _h.Attachments.Publish(volume.Id.Value, "node-a", new VolumeCapabilitySpec(AccessType.Mount, AccessMode.SingleNodeWriter), readOnly: false);

        var e = Assert.Throws<StorageException>(() => _h.Provisioner.Delete(volume.Id));

        Assert.Equal(StorageError.FailedPrecondition, e.Error);
        Assert.Contains("node-a", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_volume_whose_image_a_loop_device_still_holds_cannot_be_deleted()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("staged"));
        var loops = new Moq.Mock<ILoopDevices>();
        var image = _h.Images.Identify(volume.ImagePath)!.Value;
        loops.Setup(l => l.List()).Returns([new LoopDevice("/dev/loop7", "/volumes/" + Path.GetFileName(volume.ImagePath), volume.Record.CapacityBytes, false, true, "7:7", image)]);
        var provisioner = new VolumeProvisioner(_h.Store, _h.Images, _h.Capacity, _h.Admission, _h.Options, TimeProvider.System, _h.ContentSource, loops.Object);

        var e = Assert.Throws<StorageException>(() => provisioner.Delete(volume.Id));

        Assert.Equal(StorageError.FailedPrecondition, e.Error);
        Assert.Contains("/dev/loop7", e.Message, StringComparison.Ordinal);
        Assert.NotNull(_h.Store.Find(volume.Id));
    }

    [Fact]
    public void Expand_grows_image_and_record_and_never_shrinks()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("p", required: ByteSize.GiB));

        var grown = _h.Provisioner.Expand(volume, new CapacityRange(2 * ByteSize.GiB, 0));
        var same = _h.Provisioner.Expand(grown, new CapacityRange(ByteSize.GiB, 0));

        Assert.Equal(2 * ByteSize.GiB, grown.Record.CapacityBytes);
        Assert.Equal(2 * ByteSize.GiB, new FileInfo(grown.ImagePath).Length);
        Assert.Equal(2 * ByteSize.GiB, same.Record.CapacityBytes);
        Assert.Equal(2 * ByteSize.GiB, _h.Store.Find(volume.Id)!.Record.CapacityBytes);
    }

    [Fact]
    public void Expand_below_the_current_size_with_a_limit_is_out_of_range()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("p", required: ByteSize.GiB));

        Assert.Equal(StorageError.OutOfRange,
            Assert.Throws<StorageException>(() => _h.Provisioner.Expand(volume, new CapacityRange(0, ByteSize.MiB * 512))).Error);
    }

    [Fact]
    public void Expand_beyond_the_pool_is_resource_exhausted_and_keeps_the_size()
    {
        _h.Space.TotalBytes = 2 * ByteSize.GiB;
        var volume = _h.Provisioner.Create(StorageHarness.Spec("p", required: ByteSize.GiB));

        Assert.Equal(StorageError.ResourceExhausted,
            Assert.Throws<StorageException>(() => _h.Provisioner.Expand(volume, new CapacityRange(3 * ByteSize.GiB, 0))).Error);
        Assert.Equal(ByteSize.GiB, new FileInfo(volume.ImagePath).Length);
    }
}
