using Loam.Storage.Os;

namespace Loam.Tests.Unit.Storage;

public sealed class MountInfoParserTests
{
    [Fact]
    public void A_line_with_optional_fields_parses_into_its_parts()
    {
        const string line = "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:7 - ext3 /dev/root rw,errors=continue";

        Assert.True(MountInfoParser.TryParseLine(line, out var mount));
        Assert.Equal(36, mount.MountId);
        Assert.Equal(35, mount.ParentId);
        Assert.Equal("98:0", mount.Device);
        Assert.Equal("/mnt1", mount.Root);
        Assert.Equal("/mnt2", mount.MountPoint);
        Assert.Equal(["rw", "noatime"], mount.MountOptions);
        Assert.Equal("ext3", mount.FsType);
        Assert.Equal("/dev/root", mount.Source);
        Assert.False(mount.ReadOnly);
    }

    [Fact]
    public void Escaped_spaces_tabs_and_backslashes_in_paths_are_decoded()
    {
        const string line = @"40 1 7:3 / /var/lib/kubelet/pods/a\040b/vol\011x\134y rw - ext4 /dev/loop3 rw";

        Assert.True(MountInfoParser.TryParseLine(line, out var mount));
        Assert.Equal("/var/lib/kubelet/pods/a b/vol\tx\\y", mount.MountPoint);
    }

    [Fact]
    public void A_filesystem_remounted_read_only_by_errors_reads_as_read_only()
    {
        const string line = "41 1 7:4 / /staging rw,relatime - ext4 /dev/loop4 ro,errors=remount-ro";

        Assert.True(MountInfoParser.TryParseLine(line, out var mount));
        Assert.True(mount.ReadOnly);
    }

    [Fact]
    public void An_ext4_filesystem_shut_read_only_by_errors_on_a_newer_kernel_reads_as_read_only()
    {
        const string line = "41 1 7:4 / /staging rw,relatime - ext4 /dev/loop4 rw,emergency_ro,errors=remount-ro";

        Assert.True(MountInfoParser.TryParseLine(line, out var mount));
        Assert.True(mount.ReadOnly);
    }

    [Fact]
    public void Malformed_lines_are_skipped()
    {
        var mounts = MountInfoParser.Parse("garbage\n36 35 98:0 / /ok rw - ext4 /dev/x rw\n1 2 3\n");

        Assert.Equal("/ok", Assert.Single(mounts).MountPoint);
    }
}
