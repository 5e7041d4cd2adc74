using Loam.Node;
using Loam.Storage;

namespace Loam.Tests.Unit.Storage;

/// <summary>Options types hold their own rules; the command line only reports what they find.</summary>
public sealed class OptionsValidationTests
{
    [Fact]
    public void Default_storage_options_are_valid()
    {
        Assert.Empty(new StorageOptions { NodeId = "node-a" }.Validate());
    }

    [Fact]
    public void Each_wrong_storage_setting_is_named_by_its_flag()
    {
        var options = new StorageOptions
        {
            NodeId = " ", MaxVolumesPerNode = -1, DefaultVolumeBytes = 0, MaxVolumeBytes = -1, DefaultFsType = "ntfs",
        };

        var problems = options.Validate();

        Assert.Equal(5, problems.Count);
        Assert.Contains("--node-id must not be empty", problems);
        Assert.Contains("--max-volumes-per-node must not be negative", problems);
        Assert.Contains("--default-volume-size must be more than 0", problems);
        Assert.Contains("--max-volume-size must not be negative", problems);
        Assert.Contains(problems,
            p => p.StartsWith("--default-fs-type 'ntfs' is not one of ext4", StringComparison.Ordinal));
    }

    [Fact]
    public void Allowed_roots_must_be_absolute_and_there_must_be_one()
    {
        Assert.Empty(new NodeOptions().Validate());
        Assert.Equal(["--allowed-root: at least one root is needed"], new NodeOptions { AllowedRoots = [] }.Validate());
        Assert.Equal(["--allowed-root 'kubelet' must be absolute"],
            new NodeOptions { AllowedRoots = ["/ok", "kubelet"] }.Validate());
    }
}
