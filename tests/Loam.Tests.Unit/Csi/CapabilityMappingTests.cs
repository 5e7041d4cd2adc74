using Csi.V1;
using Loam.Csi.Mapping;
using Loam.Storage;
using Loam.Storage.Volumes;
using AccessMode = Loam.Storage.Volumes.AccessMode;
using CsiMode = Csi.V1.VolumeCapability.Types.AccessMode.Types.Mode;

namespace Loam.Tests.Unit.Csi;

public sealed class CapabilityMappingTests
{
    [Fact]
    public void A_mount_capability_keeps_fs_type_flags_and_group()
    {
        var capability = new VolumeCapability
        {
            AccessMode = new() { Mode = CsiMode.SingleNodeMultiWriter },
            Mount = new() { FsType = "xfs", VolumeMountGroup = "2000" },
        };
        capability.Mount.MountFlags.Add("noatime");

        var spec = CapabilityMapping.ToSpec(capability, "volume_capability");

        Assert.Equal(AccessType.Mount, spec.AccessType);
        Assert.Equal(AccessMode.SingleNodeMultiWriter, spec.Mode);
        Assert.Equal("xfs", spec.FsType);
        Assert.Equal(["noatime"], spec.MountFlags!);
        Assert.Equal("2000", spec.MountGroup);
    }

    [Fact]
    public void A_capability_without_access_mode_or_type_names_the_missing_field()
    {
        var noMode = Assert.Throws<StorageException>(() => CapabilityMapping.ToSpec(new VolumeCapability { Block = new() }, "volume_capability"));
        var noType = Assert.Throws<StorageException>(() => CapabilityMapping.ToSpec(new VolumeCapability { AccessMode = new() { Mode = CsiMode.SingleNodeWriter } }, "cap"));
        var none = Assert.Throws<StorageException>(() => CapabilityMapping.ToSpec(null, "volume_capability"));

        Assert.Contains("volume_capability.access_mode", noMode.Message, StringComparison.Ordinal);
        Assert.Contains("block or mount", noType.Message, StringComparison.Ordinal);
        Assert.Equal(StorageError.InvalidArgument, none.Error);
    }

    [Fact]
    public void An_empty_capability_list_is_invalid() =>
        Assert.Equal(StorageError.InvalidArgument, Assert.Throws<StorageException>(() => CapabilityMapping.ToSpecs([], "volume_capabilities")).Error);
}
