using Csi.V1;
using Loam.Controller;
using Loam.Storage;
using Loam.Storage.Nodes;
using Loam.Storage.Volumes;
using Loam.Tests.Unit.Fakes;
using CsiMode = Csi.V1.VolumeCapability.Types.AccessMode.Types.Mode;

namespace Loam.Tests.Unit.Controller;

public sealed class ControllerServiceTests : IDisposable
{
    private readonly StorageHarness _h = new(sharedPool: true);
    private readonly ControllerService _service;
    private readonly TestCallContext _context = new();

    public ControllerServiceTests()
    {
        _service = new ControllerService(_h.Store, _h.Provisioner, _h.Attachments, new LocalLeftovers(_h.Store, new UnservedNode(), _h.Options), _h.Capacity, new VolumeHealth(_h.Images), _h.Snapshots, _h.SnapshotMaker, _h.Locks, _h.Options,
            new ListedVolumes(new VolumeHealth(_h.Images)));
    }

    public void Dispose() => _h.Dispose();

    private static VolumeCapability Mount(CsiMode mode = CsiMode.SingleNodeWriter, string fsType = "") =>
        new() { AccessMode = new() { Mode = mode }, Mount = new() { FsType = fsType } };

    private async Task<Volume> Create(string name, string pool = "default")
    {
        var request = new CreateVolumeRequest { Name = name };
        request.VolumeCapabilities.Add(Mount());
        request.Parameters.Add("pool", pool);
        return (await _service.CreateVolume(request, _context)).Volume;
    }

    [Fact]
    public async Task A_node_local_volume_carries_this_nodes_topology_and_its_pool_in_the_context()
    {
        var volume = await Create("v");

        Assert.Equal("node-a", Assert.Single(volume.AccessibleTopology).Segments[NodeTopology.NodeKey]);
        Assert.Equal("default", volume.VolumeContext["loam.csi.dev/pool"]);
        Assert.Equal(ByteSize.GiB, volume.CapacityBytes);
    }

    [Fact]
    public async Task A_shared_pool_volume_is_reachable_from_anywhere()
    {
        var volume = await Create("v", pool: "shared");

        Assert.Empty(volume.AccessibleTopology);
    }

    [Fact]
    public async Task A_create_already_in_flight_for_the_name_is_aborted()
    {
        using var held = _h.Locks.Acquire(VolumeProvisioner.IdFor("busy").Value, "CreateVolume");

        var e = await Assert.ThrowsAsync<StorageException>(() => Create("busy"));

        Assert.Equal(StorageError.Aborted, e.Error);
    }

    [Fact]
    public async Task GetCapacity_for_a_topology_with_a_key_loam_never_reports_is_nothing_in_a_node_local_pool()
    {
        var zoned = new GetCapacityRequest { AccessibleTopology = new() };
        zoned.AccessibleTopology.Segments.Add("example.com/zone", "nowhere");

        Assert.Equal(0, (await _service.GetCapacity(zoned, _context)).AvailableCapacity);
    }

    [Fact]
    public async Task GetCapacity_reports_free_space_per_pool_and_nothing_for_another_nodes_topology()
    {
        _h.Space.TotalBytes = 10 * ByteSize.GiB;
        _h.Space.AvailableBytes = 10 * ByteSize.GiB;
        var here = new GetCapacityRequest { AccessibleTopology = new() };
        here.AccessibleTopology.Segments.Add(NodeTopology.NodeKey, "node-a");
        var elsewhere = new GetCapacityRequest { AccessibleTopology = new() };
        elsewhere.AccessibleTopology.Segments.Add(NodeTopology.NodeKey, "node-b");

        var local = await _service.GetCapacity(here, _context);
        var remote = await _service.GetCapacity(elsewhere, _context);

        Assert.Equal(10 * ByteSize.GiB, local.AvailableCapacity);
        Assert.Equal(ByteSize.MiB, local.MinimumVolumeSize); // no capability named: a block volume is the smallest
        Assert.Equal(0, remote.AvailableCapacity);
    }

    [Fact]
    public async Task GetCapacity_for_xfs_names_its_minimum_size()
    {
        var request = new GetCapacityRequest();
        request.VolumeCapabilities.Add(Mount(fsType: "xfs"));

        Assert.Equal(300 * ByteSize.MiB, (await _service.GetCapacity(request, _context)).MinimumVolumeSize);
    }

    [Fact]
    public async Task ValidateVolumeCapabilities_confirms_what_the_pool_supports_and_explains_what_it_does_not()
    {
        var volume = await Create("v");
        var ok = new ValidateVolumeCapabilitiesRequest { VolumeId = volume.VolumeId };
        ok.VolumeCapabilities.Add(Mount());
        var multi = new ValidateVolumeCapabilitiesRequest { VolumeId = volume.VolumeId };
        multi.VolumeCapabilities.Add(Mount(CsiMode.MultiNodeMultiWriter));

        var confirmed = await _service.ValidateVolumeCapabilities(ok, _context);
        var refused = await _service.ValidateVolumeCapabilities(multi, _context);

        Assert.Single(confirmed.Confirmed.VolumeCapabilities);
        Assert.Null(refused.Confirmed);
        Assert.Contains("node-local", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListVolumes_shows_where_each_volume_is_published_and_whether_its_image_is_whole()
    {
        var volume = await Create("v");
        var publish = new ControllerPublishVolumeRequest { VolumeId = volume.VolumeId, NodeId = "node-a", VolumeCapability = Mount() };
        await _service.ControllerPublishVolume(publish, _context);
        File.Delete(_h.Store.Find(volume.VolumeId)!.ImagePath);

        var entry = Assert.Single((await _service.ListVolumes(new ListVolumesRequest(), _context)).Entries);

        Assert.Equal(["node-a"], entry.Status.PublishedNodeIds);
        Assert.True(entry.Status.VolumeCondition.Abnormal);
        Assert.Contains("missing", entry.Status.VolumeCondition.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListVolumes_leaves_out_inline_ephemeral_volumes()
    {
        var persistent = await Create("v");
        _h.Provisioner.Create(StorageHarness.Spec("csi-ephemeral:pod-volume") with { Ephemeral = true });

        var entries = (await _service.ListVolumes(new ListVolumesRequest(), _context)).Entries;

        Assert.Equal(persistent.VolumeId, Assert.Single(entries).Volume.VolumeId);
    }

    [Fact]
    public async Task ControllerExpandVolume_asks_the_node_to_grow_the_filesystem()
    {
        var volume = await Create("v");

        var response = await _service.ControllerExpandVolume(
            new ControllerExpandVolumeRequest { VolumeId = volume.VolumeId, CapacityRange = new() { RequiredBytes = 2 * ByteSize.GiB } }, _context);

        Assert.Equal(2 * ByteSize.GiB, response.CapacityBytes);
        Assert.True(response.NodeExpansionRequired);
    }

    [Fact]
    public async Task DeleteVolume_of_an_id_never_issued_succeeds_without_touching_the_pool()
    {
        var volume = await Create("v");

        await _service.DeleteVolume(new DeleteVolumeRequest { VolumeId = "../../" + volume.VolumeId }, _context);

        Assert.NotNull(_h.Store.Find(volume.VolumeId));
    }
}
