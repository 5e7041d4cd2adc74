using Loam.Storage;
using Loam.Storage.Locks;
using Loam.Storage.Os;
using Loam.Tests.Unit.Fakes;
using Moq;

namespace Loam.Tests.Unit.Storage;

/// <summary>
/// The volume lock between processes. flock locks belong to an open file description, so a
/// second <see cref="OperationLocks"/> over the same pools, with its own lock files, is another
/// process exactly as the kernel sees it.
/// </summary>
public sealed class CrossProcessLockTests : IDisposable
{
    private readonly StorageHarness _h = new(sharedPool: true);
    private readonly RecordingLockObserver _otherObserver = new();

    public void Dispose() => _h.Dispose();

    private OperationLocks OtherProcess() => new(new PoolLockFiles(_h.PoolSet, new FileLocks(), _otherObserver));

    [Fact]
    public void A_volume_held_by_another_process_is_aborted_here_and_free_once_it_is_released()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("v"));
        var other = OtherProcess();
        var held = other.Acquire(volume.Id.Value, "CreateSnapshot");

        var e = Assert.Throws<StorageException>(() => _h.Locks.Acquire(volume.Id.Value, "NodeUnstageVolume"));
        Assert.Equal(StorageError.Aborted, e.Error);
        Assert.Contains("another process", e.Message, StringComparison.Ordinal);

        held.Dispose();
        // Taken at once: the refused call left no hold in this process.
        using var mine = _h.Locks.Acquire(volume.Id.Value, "NodeUnstageVolume");
        Assert.Throws<StorageException>(() => other.Acquire(volume.Id.Value, "CreateSnapshot"));
    }

    [Fact]
    public void Snapshot_and_group_ids_are_locked_across_processes_too()
    {
        var snapshot = ResourceId.FromName(ResourceKind.Snapshot, "s").Value;
        var group = ResourceId.FromName(ResourceKind.GroupSnapshot, "g").Value;
        using var held = OtherProcess().AcquireAll([snapshot, group], "CreateVolumeGroupSnapshot");

        Assert.Throws<StorageException>(() => _h.Locks.Acquire(snapshot, "DeleteSnapshot"));
        Assert.Throws<StorageException>(() => _h.Locks.Acquire(group, "DeleteVolumeGroupSnapshot"));
    }

    [Fact]
    public void A_key_that_is_no_resource_id_stays_process_local_and_names_no_file()
    {
        const string target = "/var/lib/kubelet/pods/x/volumes/../../../../etc/passwd";
        using var held = OtherProcess().Acquire(target, "NodePublishVolume");

        using var mine = _h.Locks.Acquire(target, "NodePublishVolume");

        Assert.All(_h.PoolSet, pool => Assert.Empty(Directory.EnumerateFiles(pool.Root, "*.lock", SearchOption.AllDirectories)));
    }

    [Fact]
    public void The_lock_is_all_or_none_over_the_pools()
    {
        var id = ResourceId.FromName(ResourceKind.Volume, "v");
        var otherFiles = new PoolLockFiles(_h.PoolSet, new FileLocks(), _otherObserver);
        var sharedOnly = otherFiles.TryTake(_h.PoolSet.Find("shared")!, id)!;

        Assert.Throws<StorageException>(() => _h.Locks.Acquire(id.Value, "CreateVolume"));

        // What it took in the default pool before it met the shared one was let go.
        using (var first = otherFiles.TryTake(_h.Pool, id))
            Assert.True(first is { Exclusive: true });
        sharedOnly.Dispose();
        using var all = _h.Locks.Acquire(id.Value, "CreateVolume");
    }

    [Fact]
    public void A_lock_file_stays_while_its_record_exists_and_goes_with_the_volume()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("v"));
        var lockFile = volume.Pool.LockPath(volume.Id);
        var elsewhere = _h.PoolSet.Find("shared")!.LockPath(volume.Id);

        using (_h.Locks.Acquire(volume.Id.Value, "ControllerExpandVolume"))
            Assert.True(File.Exists(lockFile));
        Assert.True(File.Exists(lockFile));
        Assert.False(File.Exists(elsewhere));

        using (_h.Locks.Acquire(volume.Id.Value, "DeleteVolume"))
            _h.Provisioner.Delete(volume.Id);
        Assert.False(File.Exists(lockFile));
        using var again = OtherProcess().Acquire(volume.Id.Value, "DeleteVolume");
    }

    [Fact]
    public void A_lock_file_swapped_for_a_symlink_is_never_followed()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("v"));
        var victim = Path.Combine(_h.Root, "victim");
        File.WriteAllText(victim, "host file");
        File.CreateSymbolicLink(volume.Pool.LockPath(volume.Id), victim);

        var e = Assert.Throws<StorageException>(() => _h.Locks.Acquire(volume.Id.Value, "ControllerExpandVolume"));

        Assert.Equal(StorageError.Unavailable, e.Error);
        Assert.Equal("host file", File.ReadAllText(victim));
        // The refused call left no hold in this process: once the link is gone the lock is free.
        File.Delete(volume.Pool.LockPath(volume.Id));
        Assert.Null(Record.Exception(() => _h.Locks.Acquire(volume.Id.Value, "ControllerExpandVolume").Dispose()));
    }

    [Fact]
    public void A_filesystem_without_flock_falls_back_to_the_process_lock_and_says_so_once_per_pool()
    {
        var files = new Mock<IFileLocks>();
        files.Setup(f => f.TryLock(It.IsAny<string>())).Returns(FileLockAttempt.CannotLock("flock: ENOLCK (No locks available)"));
        var locks = new OperationLocks(new PoolLockFiles(_h.PoolSet, files.Object, _otherObserver));
        var id = ResourceId.FromName(ResourceKind.Volume, "v").Value;

        using (locks.Acquire(id, "NodeStageVolume"))
            Assert.Throws<StorageException>(() => locks.Acquire(id, "NodeUnstageVolume"));
        using (locks.Acquire(id, "NodeUnstageVolume"))
        {
        }

        Assert.Equal(["default", "shared"], _otherObserver.Reports.Select(r => r.Pool));
        Assert.All(_otherObserver.Reports, r => Assert.Contains("ENOLCK", r.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Lock_files_are_real_flocks_that_a_second_open_of_the_same_file_cannot_take()
    {
        var path = Path.Combine(_h.Pool.VolumesDirectory, ResourceId.FromName(ResourceKind.Volume, "v").Value + ".lock");
        var files = new FileLocks();
        var first = files.TryLock(path);
        Assert.NotNull(first.Held);

        Assert.True(files.TryLock(path).Busy);

        first.Held!.RemoveAndRelease();
        Assert.False(File.Exists(path));
        var second = files.TryLock(path);
        Assert.NotNull(second.Held);
        second.Held!.Dispose();
        Assert.True(File.Exists(path));
    }
}
