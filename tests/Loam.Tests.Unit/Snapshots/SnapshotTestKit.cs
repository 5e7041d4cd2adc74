using Loam.Storage;
using Loam.Storage.Os;
using Loam.Storage.Volumes;
using Loam.Tests.Unit.Fakes;

namespace Loam.Tests.Unit.Snapshots;

/// <summary>Volumes with known bytes in them, and staging them by hand in the fake kernel.</summary>
internal static class SnapshotTestKit
{
    public static StoredVolume VolumeWith(StorageHarness h, string name, string text, long size = 8 * ByteSize.MiB)
    {
        var volume = h.Provisioner.Create(StorageHarness.Spec(name, required: size, limit: size) with
        {
            Capabilities = [new VolumeCapabilitySpec(AccessType.Block, AccessMode.SingleNodeWriter)],
        });
        Write(volume.ImagePath, text, offset: ByteSize.MiB);
        return volume;
    }

    public static void Write(string path, string text, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        stream.Position = offset;
        stream.Write(System.Text.Encoding.ASCII.GetBytes(text));
    }

    public static string Read(string path, int length, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Position = offset;
        var buffer = new byte[length];
        stream.ReadExactly(buffer);
        return System.Text.Encoding.ASCII.GetString(buffer);
    }

    /// <summary>The permission bits of a file, as stat(2) shows them.</summary>
    public static int Mode(string path) =>
        Mono.Unix.Native.Syscall.stat(path, out var st) == 0 ? (int)st.st_mode & 0x1FF : throw new IOException($"stat {path} failed");

    /// <summary>Attaches the volume's image and mounts it at <paramref name="mountPoint"/>, as NodeStage does.</summary>
    public static void Stage(StorageHarness h, StoredVolume volume, string mountPoint, bool readOnly = false)
    {
        var device = h.Kernel.Attach(volume.ImagePath, readOnly, directIo: false);
        h.Kernel.Mount(device.DevicePath, mountPoint, "ext4", readOnly ? KernelMountFlags.ReadOnly : 0, "");
    }
}
