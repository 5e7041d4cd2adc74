using Csi.V1;
using Grpc.Core;

namespace Loam.Tests.Conformance.Controller;

/// <summary>csi-sanity "Controller Service CreateVolume", plus each error code the spec lists for it.</summary>
public sealed class CreateVolumeSpecs(SanityDriver driver) : SanityTest(driver)
{
    [Fact]
    public async Task Fails_when_no_name_is_provided()
    {
        var request = CreateVolumeRequest("");

        var message = await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.CreateVolumeAsync(request));
        Assert.Contains("name", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fails_when_no_volume_capabilities_are_provided()
    {
        var request = CreateVolumeRequest(UniqueName("no-caps"));
        request.VolumeCapabilities.Clear();

        await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.CreateVolumeAsync(request));
    }

    [Fact]
    public async Task Returns_appropriate_values_for_single_node_writer_with_no_capacity()
    {
        var request = CreateVolumeRequest(UniqueName("no-capacity"));
        request.CapacityRange = null;

        var volume = await MustCreateVolume(request);

        Assert.Equal(1L << 30, volume.CapacityBytes);
    }

    [Fact]
    public async Task Returns_appropriate_values_for_single_node_writer_with_1Gi()
    {
        var request = CreateVolumeRequest(UniqueName("with-capacity"));
        request.CapacityRange = new CapacityRange { RequiredBytes = TestVolumeSize };

        var volume = await MustCreateVolume(request);

        Assert.True(volume.CapacityBytes >= TestVolumeSize);
    }

    [Fact]
    public async Task Does_not_fail_when_creating_the_same_name_and_capacity_again()
    {
        var request = CreateVolumeRequest(UniqueName("twice"));

        var first = await MustCreateVolume(request);
        var second = await MustCreateVolume(request);

        Assert.Equal(first.VolumeId, second.VolumeId);
        Assert.Equal(first.CapacityBytes, second.CapacityBytes);
    }

    [Fact]
    public async Task Fails_when_the_name_exists_with_a_different_capacity()
    {
        var name = UniqueName("twice-different");
        await MustCreateVolume(CreateVolumeRequest(name, TestVolumeSize));

        await AssertFails(StatusCode.AlreadyExists, () => Csi.Controller.CreateVolumeAsync(CreateVolumeRequest(name, 2 * TestVolumeSize)));
    }

    [Fact]
    public async Task Does_not_fail_with_a_maximum_length_name()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("maxlen", 128)));

        Assert.True(volume.CapacityBytes >= TestVolumeSize);
    }

    [Fact]
    public async Task Creates_a_volume_with_a_volume_attribute_class()
    {
        var request = CreateVolumeRequest(UniqueName("vac"));
        request.MutableParameters.Add("provisioning", "thick");
        request.CapacityRange = new CapacityRange { RequiredBytes = 64L << 20 };

        var volume = await MustCreateVolume(request);

        var got = await Csi.Controller.ControllerGetVolumeAsync(new ControllerGetVolumeRequest { VolumeId = volume.VolumeId });
        Assert.Equal(volume.VolumeId, got.Volume.VolumeId);
    }

    [Fact]
    public async Task Does_not_create_a_volume_with_an_invalid_volume_attribute_class()
    {
        var request = CreateVolumeRequest(UniqueName("bad-vac"));
        request.MutableParameters.Add("iops", "9000");

        var message = await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.CreateVolumeAsync(request));
        Assert.Contains("iops", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsupported_capability_is_invalid()
    {
        var request = CreateVolumeRequest(UniqueName("multi-writer"), capability: MountCapability(VolumeCapability.Types.AccessMode.Types.Mode.MultiNodeMultiWriter));

        await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.CreateVolumeAsync(request));
    }

    [Fact]
    public async Task A_size_below_the_filesystems_minimum_limit_is_out_of_range_and_says_the_minimum()
    {
        var request = CreateVolumeRequest(UniqueName("tiny-xfs"), 100L << 20, MountCapability(fsType: "xfs"));

        var message = await AssertFails(StatusCode.OutOfRange, () => Csi.Controller.CreateVolumeAsync(request));
        Assert.Contains("300Mi", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_pool_is_resource_exhausted()
    {
        var request = CreateVolumeRequest(UniqueName("full"));
        request.Parameters.Add("pool", SanityDriver.FullPool);

        await AssertFails(StatusCode.ResourceExhausted, () => Csi.Controller.CreateVolumeAsync(request));
    }

    [Fact]
    public async Task Another_nodes_topology_is_resource_exhausted()
    {
        var request = CreateVolumeRequest(UniqueName("elsewhere"));
        var elsewhere = new Topology();
        elsewhere.Segments.Add("topology.loam.csi.dev/node", "some-other-node");
        request.AccessibilityRequirements = new TopologyRequirement();
        request.AccessibilityRequirements.Requisite.Add(elsewhere);

        await AssertFails(StatusCode.ResourceExhausted, () => Csi.Controller.CreateVolumeAsync(request));
    }

    [Fact]
    public async Task A_volume_in_a_shared_pool_is_accessible_from_every_node()
    {
        var request = CreateVolumeRequest(UniqueName("shared"));
        request.Parameters.Add("pool", SanityDriver.SharedPool);

        var volume = await MustCreateVolume(request);

        Assert.Empty(volume.AccessibleTopology);
    }
}
