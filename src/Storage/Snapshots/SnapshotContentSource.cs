using Loam.Storage.Locks;
using Loam.Storage.Os;
using Loam.Storage.Pools;
using Loam.Storage.Records;
using Loam.Storage.Volumes;

namespace Loam.Storage.Snapshots;

/// <summary>
/// Fills a new volume from a snapshot (restore) or from another volume (clone): a reflink
/// where the source is in the same pool on a filesystem that shares extents, else a sparse
/// copy, which also carries content across pools; a thick volume is always a real copy, so
/// that it owns every block it promises. The image is then grown to the requested size; the
/// filesystem inside grows when the volume is next staged. A source volume is
/// locked and, when staged here, frozen while it is copied.
/// </summary>
public sealed class SnapshotContentSource(
    VolumeStore volumes,
    SnapshotStore snapshots,
    IImageCopier copier,
    IImageFiles images,
    VolumeFreezer freezer,
    OperationLocks locks) : IVolumeContentSource
{
    public long SourceSize(ContentSource source) => source.Kind switch
    {
        ResourceKind.Snapshot => Snapshot(source).Record.SizeBytes,
        ResourceKind.Volume => Volume(source).Record.CapacityBytes,
        _ => throw StorageException.InvalidArgument($"a volume cannot be made from a {source.Kind}"),
    };

    public void CopyTo(ContentSource source, Pool pool, string imagePath, long size, bool allocate)
    {
        if (source.Kind == ResourceKind.Snapshot)
            copier.Copy(Snapshot(source).ImagePath, imagePath, readOnly: false, reflink: !allocate);
        else
        {
            using var _ = locks.Acquire(source.Id, "CreateVolume (clone source)");
            var volume = Volume(source);
            using (freezer.Freeze([volume]))
                copier.Copy(volume.ImagePath, imagePath, readOnly: false, reflink: !allocate);
        }
        try
        {
            images.Grow(imagePath, size, allocate);
            if (allocate)
                images.Allocate(imagePath);
        }
        catch
        {
            images.Delete(imagePath);
            throw;
        }
    }

    private StoredSnapshot Snapshot(ContentSource source) =>
        snapshots.Find(source.Id) ?? throw StorageException.NotFound($"source snapshot {source.Id} does not exist");

    private StoredVolume Volume(ContentSource source) =>
        volumes.Find(source.Id) ?? throw StorageException.NotFound($"source volume {source.Id} does not exist");
}
