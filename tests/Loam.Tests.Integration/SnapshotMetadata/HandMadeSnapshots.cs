using Loam.Storage;
using Loam.Storage.Os;
using Loam.Storage.Pools;
using Loam.Storage.Records;
using Loam.Storage.Snapshots;

namespace Loam.Tests.Integration.SnapshotMetadata;

/// <summary>
/// Takes snapshots the way CreateSnapshot lays them out, without the controller: the volume's
/// image copied into <c>PATH/snapshots/snap-….img</c> (a reflink on xfs and btrfs, a sparse
/// copy elsewhere) and its record saved beside it.
/// </summary>
public sealed class HandMadeSnapshots(Pool pool)
{
    private int _taken;

    public SnapshotStore Store { get; } =
        new(new PoolSet([pool.Options]), new DurableFiles(new DirectorySyncs(new PosixDirectoryFsync())));

    public static bool Reflinks(string fsType) => fsType is "xfs" or "btrfs";

    /// <param name="reflink">null: a reflink where the filesystem has them.</param>
    public string Take(string volumeImage, string volumeId, string fsType, bool? reflink = null)
    {
        var clone = reflink ?? Reflinks(fsType);
        var id = ResourceId.FromName(ResourceKind.Snapshot, $"{volumeId}-{Guid.NewGuid():N}");
        Shell.Run("cp", clone ? "--reflink=always" : "--sparse=always", volumeImage, pool.ImagePath(id));
        Store.Save(pool, new SnapshotRecord
        {
            Id = id.Value,
            Name = id.Value,
            Pool = pool.Name,
            SourceVolumeId = volumeId,
            SizeBytes = new FileInfo(volumeImage).Length,
            Reflinked = clone,
            // Strictly increasing, as snapshots of one volume are taken one after another.
            CreatedAt = DateTimeOffset.UnixEpoch.AddMinutes(++_taken),
        });
        return id.Value;
    }
}
