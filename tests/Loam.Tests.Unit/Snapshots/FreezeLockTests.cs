using Loam.Storage.Locks;
using Loam.Storage.Os;
using Loam.Storage.Snapshots;
using Loam.Tests.Unit.Fakes;
using Moq;
using static Loam.Tests.Unit.Snapshots.SnapshotTestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Loam.Tests.Unit.Snapshots;

/// <summary>The freeze of a copy and the volume lock: who may thaw, and that thaw always follows freeze.</summary>
public sealed class FreezeLockTests : IDisposable
{
    private readonly StorageHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void At_start_up_a_freeze_whose_volume_another_process_holds_is_its_copy_in_flight_and_stays()
    {
        var copying = VolumeWith(_h, "copying", "x");
        var leftover = VolumeWith(_h, "leftover", "y");
        Stage(_h, copying, "/staging/copying");
        Stage(_h, leftover, "/staging/leftover");
        _h.Freezer.Freeze("/staging/copying");
        _h.Freezer.Freeze("/staging/leftover");
        var other = new OperationLocks(new PoolLockFiles(_h.PoolSet, new FileLocks(), new RecordingLockObserver()));
        using var held = other.Acquire(copying.Id.Value, "CreateSnapshot");

        var thawed = _h.VolumeFreezer.ThawLeftovers([_h.Pool]);

        Assert.Equal(["/staging/leftover"], thawed);
        Assert.Equal(["/staging/copying"], _h.Freezer.Frozen);
    }

    [Fact]
    public void Thaw_follows_the_freeze_even_when_the_copy_throws()
    {
        var volume = VolumeWith(_h, "v", "x");
        Stage(_h, volume, "/staging/v");
        var freezer = new Mock<IFileSystemFreezer>(MockBehavior.Strict);
        var copier = new Mock<IImageCopier>(MockBehavior.Strict);
        var order = new MockSequence();
        freezer.InSequence(order).Setup(f => f.Freeze("/staging/v"));
        copier.InSequence(order).Setup(c => c.Copy(volume.ImagePath, It.IsAny<string>(), true, true))
            .Throws(new IOException("EIO reading the image"));
        freezer.InSequence(order).Setup(f => f.Thaw("/staging/v")).Returns(true);
        var maker = new SnapshotMaker(_h.Store, _h.Snapshots, copier.Object, _h.Images,
            new VolumeFreezer(_h.Kernel, _h.Images, _h.Kernel, freezer.Object, _h.LockFiles, NullLogger<VolumeFreezer>.Instance),
            _h.Capacity, _h.Admission, TimeProvider.System);

        Assert.Throws<IOException>(() => maker.Create("s", volume.Id.Value));

        freezer.Verify(f => f.Freeze("/staging/v"), Times.Once);
        freezer.Verify(f => f.Thaw("/staging/v"), Times.Once);
        Assert.Null(_h.Snapshots.Find(SnapshotMaker.IdFor("s")));
    }

    [Fact]
    public void Every_freeze_of_a_group_snapshot_is_thawed_when_one_member_copy_throws()
    {
        var first = VolumeWith(_h, "first", "x");
        var second = VolumeWith(_h, "second", "y");
        Stage(_h, first, "/staging/first");
        Stage(_h, second, "/staging/second");
        var freezer = new Mock<IFileSystemFreezer>(MockBehavior.Strict);
        freezer.Setup(f => f.Freeze(It.IsAny<string>()));
        freezer.Setup(f => f.Thaw(It.IsAny<string>())).Returns(true);
        var copier = new Mock<IImageCopier>(MockBehavior.Strict);
        var copies = 0;
        copier.Setup(c => c.Copy(It.IsAny<string>(), It.IsAny<string>(), true, true))
            .Returns((string _, string target, bool _, bool _) =>
            {
                if (++copies == 2)
                    throw new IOException("EIO reading the second image");
                File.WriteAllBytes(target, []);
                return false;
            });
        var volumeFreezer = new VolumeFreezer(
            _h.Kernel, _h.Images, _h.Kernel, freezer.Object, _h.LockFiles, NullLogger<VolumeFreezer>.Instance);
        var maker = new SnapshotMaker(_h.Store, _h.Snapshots, copier.Object, _h.Images,
            volumeFreezer, _h.Capacity, _h.Admission, TimeProvider.System);
        var groups = new GroupSnapshotMaker(_h.Store, _h.Snapshots, maker, volumeFreezer, TimeProvider.System);

        Assert.Throws<IOException>(() => groups.Create("g", [first.Id.Value, second.Id.Value]));

        foreach (var mountPoint in new[] { "/staging/first", "/staging/second" })
        {
            freezer.Verify(f => f.Freeze(mountPoint), Times.Once);
            freezer.Verify(f => f.Thaw(mountPoint), Times.Once);
        }
    }
}
