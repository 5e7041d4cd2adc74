using Loam.Storage;
using Loam.Storage.Os;
using Loam.Storage.Records;
using Loam.Storage.Snapshots.Metadata;
using Loam.Storage.Volumes;
using Loam.Tests.Unit.Fakes;

namespace Loam.Tests.Unit.Storage;

/// <summary>
/// An image swapped for a symlink to a host file (anyone who can write the pool can do it; on
/// a shared pool, any node): no controller call may grow, allocate, copy or read that file.
/// Each refusal is FAILED_PRECONDITION naming the image, and the host file is left as it was.
/// </summary>
public sealed class SymlinkedImageTests : IDisposable
{
    private static readonly byte[] HostBytes = "host secret 17 b\n"u8.ToArray();

    private readonly StorageHarness _h = new();
    private readonly string _hostFile;

    public SymlinkedImageTests()
    {
        _hostFile = Path.Combine(_h.Root, "host-file");
        File.WriteAllBytes(_hostFile, HostBytes);
    }

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Expand_does_not_grow_the_file_a_symlinked_image_points_to()
    {
        var volume = Hijacked("expand");

        var e = Assert.Throws<StorageException>(() => _h.Provisioner.Expand(volume, new CapacityRange(128L << 20, 0)));

        AssertRefused(e, volume.ImagePath);
        Assert.Equal(volume.Record.CapacityBytes, _h.Store.Find(volume.Id)!.Record.CapacityBytes);
    }

    [Fact]
    public void A_snapshot_does_not_copy_the_file_a_symlinked_image_points_to()
    {
        var volume = Hijacked("snap");

        var e = Assert.Throws<StorageException>(() => _h.SnapshotMaker.Create("s", volume.Id.Value));

        AssertRefused(e, volume.ImagePath);
        Assert.Null(_h.Snapshots.Find(Loam.Storage.Snapshots.SnapshotMaker.IdFor("s")));
        Assert.Empty(Directory.EnumerateFiles(_h.Pool.SnapshotsDirectory));
    }

    [Fact]
    public void A_thick_volumes_snapshot_does_not_measure_the_file_either()
    {
        var volume = Hijacked("thick", thick: true);

        var e = Assert.Throws<StorageException>(() => _h.SnapshotMaker.Create("s", volume.Id.Value));

        AssertRefused(e, volume.ImagePath);
    }

    [Fact]
    public void A_clone_of_a_symlinked_volume_is_refused_and_leaves_nothing()
    {
        var source = Hijacked("clone-source");

        var e = Assert.Throws<StorageException>(() => _h.Provisioner.Create(StorageHarness.Spec("clone") with
        {
            Source = new ContentSource(ResourceKind.Volume, source.Id.Value),
        }));

        AssertRefused(e, source.ImagePath);
        Assert.Null(_h.Store.Find(VolumeProvisioner.IdFor("clone")));
        Assert.False(File.Exists(_h.Pool.ImagePath(VolumeProvisioner.IdFor("clone"))));
    }

    [Fact]
    public void A_restore_from_a_snapshot_whose_image_became_a_symlink_is_refused()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("restore-source", required: 8L << 20));
        var snapshot = _h.SnapshotMaker.Create("s", volume.Id.Value);
        ReplaceBySymlink(snapshot.ImagePath);

        var e = Assert.Throws<StorageException>(() => _h.Provisioner.Create(StorageHarness.Spec("restored") with
        {
            Source = new ContentSource(ResourceKind.Snapshot, snapshot.Id.Value),
        }));

        AssertRefused(e, snapshot.ImagePath);
        Assert.Null(_h.Store.Find(VolumeProvisioner.IdFor("restored")));
    }

    [Fact]
    public void Modify_to_thick_does_not_allocate_the_file_a_symlinked_image_points_to()
    {
        var volume = Hijacked("modify");

        var e = Assert.Throws<StorageException>(() => _h.Provisioner.Modify(volume, new Dictionary<string, string> { ["provisioning"] = "thick" }));

        AssertRefused(e, volume.ImagePath);
        Assert.Equal(Provisioning.Thin, _h.Store.Find(volume.Id)!.Record.Provisioning);
    }

    [Fact]
    public void Snapshot_metadata_is_not_read_through_a_symlinked_image()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("meta-source", required: 8L << 20));
        var snapshot = _h.SnapshotMaker.Create("s", volume.Id.Value);
        ReplaceBySymlink(snapshot.ImagePath);
        var reader = new SnapshotMetadataReader(_h.Snapshots, new FileExtents(), new SnapshotMetadataOptions());

        var e = Assert.Throws<StorageException>(() => reader.Allocated(snapshot.Id.Value, 0, 0));

        AssertRefused(e, snapshot.ImagePath);
    }

    [Fact]
    public void Size_queries_and_existence_never_follow_a_symlinked_image()
    {
        var volume = Hijacked("size");

        Assert.False(_h.Images.Exists(volume.ImagePath));
        Assert.Null(_h.Images.Identify(volume.ImagePath));
        AssertRefused(Assert.Throws<StorageException>(() => _h.Images.Size(volume.ImagePath)), volume.ImagePath);
        AssertRefused(Assert.Throws<StorageException>(() => _h.Images.AllocatedBytes(volume.ImagePath)), volume.ImagePath);
    }

    [Fact]
    public void Delete_removes_the_symlink_and_never_what_it_points_to()
    {
        var volume = Hijacked("delete");

        Assert.True(_h.Provisioner.Delete(volume.Id));

        Assert.False(File.Exists(volume.ImagePath) || new FileInfo(volume.ImagePath).LinkTarget is not null);
    }

    [Fact]
    public void Create_over_a_symlink_left_at_a_new_volumes_image_path_is_refused()
    {
        var image = _h.Pool.ImagePath(VolumeProvisioner.IdFor("planted"));
        File.CreateSymbolicLink(image, _hostFile);

        var e = Assert.Throws<StorageException>(() => _h.Provisioner.Create(StorageHarness.Spec("planted", required: 8L << 20)));

        AssertRefused(e, image);
    }

    private StoredVolume Hijacked(string name, bool thick = false)
    {
        var parameters = thick ? new Dictionary<string, string> { ["provisioning"] = "thick" } : null;
        var volume = _h.Provisioner.Create(StorageHarness.Spec(name, required: 8L << 20, parameters: parameters));
        ReplaceBySymlink(volume.ImagePath);
        return volume;
    }

    private void ReplaceBySymlink(string image)
    {
        File.Delete(image);
        File.CreateSymbolicLink(image, _hostFile);
    }

    private void AssertRefused(StorageException e, string image)
    {
        Assert.Equal(StorageError.FailedPrecondition, e.Error);
        Assert.Contains(image, e.Message, StringComparison.Ordinal);
        Assert.Equal(HostBytes, File.ReadAllBytes(_hostFile));
    }
}
