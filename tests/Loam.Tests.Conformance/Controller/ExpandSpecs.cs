using Csi.V1;
using Grpc.Core;

namespace Loam.Tests.Conformance.Controller;

/// <summary>csi-sanity "ExpandVolume [Controller Server]", plus each error code the spec lists.</summary>
public sealed class ExpandSpecs(SanityDriver driver) : SanityTest(driver)
{
    [Fact]
    public async Task Fails_if_no_volume_id_is_given() =>
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.ControllerExpandVolumeAsync(
            new ControllerExpandVolumeRequest { CapacityRange = new CapacityRange { RequiredBytes = 2 * TestVolumeSize } }));

    [Fact]
    public async Task Fails_if_no_capacity_range_is_given()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("expand-norange")));

        var message = await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.ControllerExpandVolumeAsync(new ControllerExpandVolumeRequest { VolumeId = volume.VolumeId }));
        Assert.Contains("capacity_range", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Works()
    {
        var request = CreateVolumeRequest(UniqueName("expand"));
        request.CapacityRange = new CapacityRange { RequiredBytes = TestVolumeSize };
        var volume = await MustCreateVolume(request);
        var expand = new ControllerExpandVolumeRequest
        {
            VolumeId = volume.VolumeId,
            CapacityRange = new CapacityRange { RequiredBytes = TestVolumeSize + (1L << 30) },
            VolumeCapability = MountCapability(),
        };

        var response = await Csi.Controller.ControllerExpandVolumeAsync(expand);
        var again = await Csi.Controller.ControllerExpandVolumeAsync(expand);

        Assert.Equal(TestVolumeSize + (1L << 30), response.CapacityBytes);
        Assert.Equal(response.CapacityBytes, again.CapacityBytes);
        Assert.True(response.NodeExpansionRequired);
    }

    [Fact]
    public async Task An_unknown_volume_is_not_found() =>
        await AssertFails(StatusCode.NotFound, () => Csi.Controller.ControllerExpandVolumeAsync(new ControllerExpandVolumeRequest
        {
            VolumeId = "vol-00000000000000000000000000000000",
            CapacityRange = new CapacityRange { RequiredBytes = TestVolumeSize },
        }));

    [Fact]
    public async Task A_limit_below_the_current_size_is_out_of_range()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("expand-shrink")));

        await AssertFails(StatusCode.OutOfRange, () => Csi.Controller.ControllerExpandVolumeAsync(new ControllerExpandVolumeRequest
        {
            VolumeId = volume.VolumeId,
            CapacityRange = new CapacityRange { RequiredBytes = 1L << 20, LimitBytes = 512L << 20 },
        }));
    }

    [Fact]
    public async Task A_capability_the_volume_cannot_have_is_invalid()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("expand-cap")));

        await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.ControllerExpandVolumeAsync(new ControllerExpandVolumeRequest
        {
            VolumeId = volume.VolumeId,
            CapacityRange = new CapacityRange { RequiredBytes = 2 * TestVolumeSize },
            VolumeCapability = MountCapability(VolumeCapability.Types.AccessMode.Types.Mode.MultiNodeMultiWriter),
        }));
    }
}
