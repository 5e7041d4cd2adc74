using Csi.V1;
using Grpc.Core;

namespace Loam.Tests.Conformance.Snapshots;

/// <summary>csi-sanity "ModifyVolume": the mutable parameter <c>provisioning</c>, and INVALID_ARGUMENT for any other.</summary>
public sealed class ModifySpecs(SanityDriver driver) : SanityTest(driver)
{
    private static ControllerModifyVolumeRequest Modify(string volumeId, params (string Key, string Value)[] parameters)
    {
        var request = new ControllerModifyVolumeRequest { VolumeId = volumeId };
        foreach (var (key, value) in parameters)
            request.MutableParameters.Add(key, value);
        return request;
    }

    [Fact]
    public async Task Fails_if_no_volume_id_is_given() =>
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.ControllerModifyVolumeAsync(Modify("", ("provisioning", "thick"))));

    [Fact]
    public async Task Fails_if_the_volume_does_not_exist() =>
        await AssertFails(StatusCode.NotFound, () => Csi.Controller.ControllerModifyVolumeAsync(Modify("vol-00000000000000000000000000000000", ("provisioning", "thin"))));

    [Fact]
    public async Task Fails_for_mutable_parameters_the_volume_does_not_support()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("modify-bad")));

        var message = await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.ControllerModifyVolumeAsync(Modify(volume.VolumeId, ("iops", "9000"))));
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.ControllerModifyVolumeAsync(Modify(volume.VolumeId, ("provisioning", "fat"))));
        Assert.Contains("iops", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Modifies_a_volume_created_without_a_volume_attribute_class_idempotently()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("modify"), 64L << 20));

        await Csi.Controller.ControllerModifyVolumeAsync(Modify(volume.VolumeId, ("provisioning", "thick")));
        await Csi.Controller.ControllerModifyVolumeAsync(Modify(volume.VolumeId, ("provisioning", "thick")));

        await AssertConfirmedWithProvisioning(volume.VolumeId, "thick");
    }

    [Fact]
    public async Task Modifies_a_volume_created_with_a_volume_attribute_class()
    {
        var request = CreateVolumeRequest(UniqueName("modify-vac"), 64L << 20);
        request.MutableParameters.Add("provisioning", "thick");
        var volume = await MustCreateVolume(request);

        await Csi.Controller.ControllerModifyVolumeAsync(Modify(volume.VolumeId, ("provisioning", "thin")));

        await AssertConfirmedWithProvisioning(volume.VolumeId, "thin");
    }

    [Fact]
    public async Task Fails_for_a_volume_created_with_a_volume_attribute_class_when_new_parameters_are_unsupported()
    {
        var request = CreateVolumeRequest(UniqueName("modify-vac-bad"), 64L << 20);
        request.MutableParameters.Add("provisioning", "thin");
        var volume = await MustCreateVolume(request);

        await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.ControllerModifyVolumeAsync(Modify(volume.VolumeId, ("tier", "gold"))));
    }

    /// <summary>ValidateVolumeCapabilities confirms the volume with the given mutable <c>provisioning</c>.</summary>
    private async Task AssertConfirmedWithProvisioning(string volumeId, string provisioning)
    {
        var validate = new ValidateVolumeCapabilitiesRequest { VolumeId = volumeId };
        validate.VolumeCapabilities.Add(MountCapability());
        validate.MutableParameters.Add("provisioning", provisioning);
        Assert.NotNull((await Csi.Controller.ValidateVolumeCapabilitiesAsync(validate)).Confirmed);
    }
}
