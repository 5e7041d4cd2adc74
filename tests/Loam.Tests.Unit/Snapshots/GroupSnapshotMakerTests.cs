using Loam.Storage;
using Loam.Storage.Snapshots;
using Loam.Tests.Unit.Fakes;
using static Loam.Tests.Unit.Snapshots.SnapshotTestKit;

namespace Loam.Tests.Unit.Snapshots;

public sealed class GroupSnapshotMakerTests : IDisposable
{
    private readonly StorageHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void All_staged_members_are_frozen_before_the_first_copy_and_thawed_after_the_last()
    {
        var a = VolumeWith(_h, "a", "aaa");
        var b = VolumeWith(_h, "b", "bbb");
        Stage(_h, a, "/staging/a");
        Stage(_h, b, "/staging/b");

        var group = _h.GroupMaker.Create("g", [a.Id.Value, b.Id.Value]);

        Assert.Equal(2, _h.Copier.Copies.Count);
        Assert.All(_h.Copier.Copies, c => Assert.Equal(["/staging/a", "/staging/b"], c.FrozenDuringCopy.Order(StringComparer.Ordinal)));
        Assert.Empty(_h.Freezer.Frozen);
        Assert.All(group.Members, m => Assert.Equal(group.Record.Id, m.Record.GroupId));
        Assert.Equal(["aaa", "bbb"], group.Members.OrderBy(m => m.Record.SourceVolumeId == b.Id.Value).Select(m => Read(m.ImagePath, 3, ByteSize.MiB)));
    }

    [Fact]
    public void A_repeated_request_returns_the_group_and_other_volumes_under_the_name_already_exist()
    {
        var a = VolumeWith(_h, "a", "a");
        var b = VolumeWith(_h, "b", "b");
        var first = _h.GroupMaker.Create("g", [a.Id.Value, b.Id.Value]);

        var again = _h.GroupMaker.Create("g", [b.Id.Value, a.Id.Value, a.Id.Value]);
        var other = Assert.Throws<StorageException>(() => _h.GroupMaker.Create("g", [a.Id.Value]));

        Assert.Equal(first.Record.SnapshotIds, again.Record.SnapshotIds);
        Assert.Equal(first.Record.CreatedAt, again.Record.CreatedAt);
        Assert.Equal(2, _h.Copier.Copies.Count);
        Assert.Equal(StorageError.AlreadyExists, other.Error);
    }

    [Fact]
    public void A_failure_on_one_member_removes_the_members_already_cut_and_thaws_all()
    {
        var a = VolumeWith(_h, "a", "a");
        var b = VolumeWith(_h, "b", "b");
        Stage(_h, a, "/staging/a");
        Stage(_h, b, "/staging/b");
        var failing = new FailOnSecondCopy(_h);

        Assert.Throws<StorageException>(() => failing.Maker.Create("g", [a.Id.Value, b.Id.Value]));

        Assert.Empty(_h.Freezer.Frozen);
        Assert.Empty(Directory.GetFiles(_h.Pool.SnapshotsDirectory));
        Assert.Empty(Directory.GetFiles(_h.Pool.GroupsDirectory));
    }

    [Fact]
    public void A_member_that_cannot_be_frozen_fails_the_group_with_the_others_thawed()
    {
        var a = VolumeWith(_h, "a", "a");
        var b = VolumeWith(_h, "b", "b");
        Stage(_h, a, "/staging/a");
        Stage(_h, b, "/staging/b");
        _h.Freezer.RefuseFreezeOf = "/staging/b";

        Assert.Throws<StorageException>(() => _h.GroupMaker.Create("g", [a.Id.Value, b.Id.Value]));

        Assert.Empty(_h.Freezer.Frozen);
        Assert.Empty(_h.Copier.Copies);
    }

    [Fact]
    public void Members_are_deleted_only_with_their_group_and_a_wrong_member_list_is_refused()
    {
        var a = VolumeWith(_h, "a", "a");
        var b = VolumeWith(_h, "b", "b");
        var group = _h.GroupMaker.Create("g", [a.Id.Value, b.Id.Value]);
        var member = group.Members[0];

        var alone = Assert.Throws<StorageException>(() => _h.SnapshotMaker.Delete(member.Id));
        var wrongList = Assert.Throws<StorageException>(() => _h.GroupMaker.Delete(group.Id, [member.Id.Value]));
        Assert.True(_h.GroupMaker.Delete(group.Id, [.. group.Record.SnapshotIds]));
        Assert.False(_h.GroupMaker.Delete(group.Id, []));

        Assert.Equal(StorageError.InvalidArgument, alone.Error);
        Assert.Equal(StorageError.InvalidArgument, wrongList.Error);
        Assert.Empty(Directory.GetFiles(_h.Pool.SnapshotsDirectory));
        Assert.Empty(Directory.GetFiles(_h.Pool.GroupsDirectory));
    }

    [Fact]
    public void Get_finds_the_group_and_a_missing_group_is_not_found()
    {
        var a = VolumeWith(_h, "a", "a");
        var group = _h.GroupMaker.Create("g", [a.Id.Value]);

        Assert.Equal(group.Record.SnapshotIds, _h.GroupMaker.Get(group.Id.Value, [.. group.Record.SnapshotIds]).Record.SnapshotIds);
        Assert.Equal(StorageError.NotFound, Assert.Throws<StorageException>(() => _h.GroupMaker.Get("group-00000000000000000000000000000000", [])).Error);
        Assert.Equal(StorageError.NotFound, Assert.Throws<StorageException>(() => _h.GroupMaker.Get("nonsense", [])).Error);
    }

    /// <summary>A group maker whose copier fails its second copy.</summary>
    private sealed class FailOnSecondCopy
    {
        public FailOnSecondCopy(StorageHarness h)
        {
            var copier = new CountingCopier(h.Copier);
            var maker = new SnapshotMaker(h.Store, h.Snapshots, copier, h.Images, h.VolumeFreezer, h.Capacity, h.Admission, TimeProvider.System);
            Maker = new GroupSnapshotMaker(h.Store, h.Snapshots, maker, h.VolumeFreezer, TimeProvider.System);
        }

        public GroupSnapshotMaker Maker { get; }

        private sealed class CountingCopier(RecordingCopier inner) : Loam.Storage.Os.IImageCopier
        {
            private int _count;

            public bool Copy(string source, string target, bool readOnly, bool reflink = true) =>
                ++_count == 2 ? throw StorageException.ResourceExhausted("pool filesystem is full") : inner.Copy(source, target, readOnly, reflink);
        }
    }
}
