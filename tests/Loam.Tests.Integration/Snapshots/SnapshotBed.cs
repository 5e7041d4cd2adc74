using Csi.V1;

namespace Loam.Tests.Integration.Snapshots;

/// <summary>Snapshot, restore and clone calls over a <see cref="Testbed"/>, and reading what a volume holds.</summary>
internal static class SnapshotBed
{
    public static async Task<Snapshot> SnapshotAsync(this Testbed bed, string name, string volumeId) =>
        (await bed.Csi.Controller.CreateSnapshotAsync(new CreateSnapshotRequest { Name = name, SourceVolumeId = volumeId })).Snapshot;

    public static async Task<Volume> CreateFromAsync(this Testbed bed, string name, long size, VolumeCapability capability, VolumeContentSource source)
    {
        var request = new CreateVolumeRequest { Name = name, CapacityRange = new() { RequiredBytes = size }, VolumeContentSource = source };
        request.VolumeCapabilities.Add(capability);
        return (await bed.Csi.Controller.CreateVolumeAsync(request)).Volume;
    }

    public static VolumeContentSource OfSnapshot(string id) => new() { Snapshot = new() { SnapshotId = id } };

    public static VolumeContentSource OfVolume(string id) => new() { Volume = new() { VolumeId = id } };

    /// <summary>Stages and publishes the volume under <paramref name="name"/>; returns the target.</summary>
    public static async Task<string> MountAsync(this Testbed bed, string volumeId, string name, VolumeCapability capability)
    {
        var staging = bed.StagingPath(name);
        var target = bed.TargetPath(name);
        await bed.StageAsync(volumeId, staging, capability);
        await bed.PublishAsync(volumeId, staging, target, capability);
        return target;
    }

    public static async Task UnmountAsync(this Testbed bed, string volumeId, string name)
    {
        await bed.UnpublishAsync(volumeId, bed.TargetPath(name));
        await bed.UnstageAsync(volumeId, bed.StagingPath(name));
    }

    public static string SnapshotImage(this Testbed bed, string snapshotId) => Path.Combine(bed.PoolPath, "snapshots", snapshotId + ".img");

    public static string VolumeImage(this Testbed bed, string volumeId) => Path.Combine(bed.PoolPath, "volumes", volumeId + ".img");

    /// <summary>Whether any extent of the file is shared with another file (FIEMAP_EXTENT_SHARED, as filefrag shows it).</summary>
    public static bool SharesExtents(string path) => Shell.Run("filefrag", "-v", path).Contains("shared", StringComparison.Ordinal);

    /// <summary>Blocks the file really occupies (stat st_blocks × 512).</summary>
    public static long AllocatedBytes(string path) => long.Parse(Shell.Run("stat", "-c", "%b", path).Trim(), System.Globalization.CultureInfo.InvariantCulture) * 512;

    public static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
