using Csi.V1;
using Grpc.Core;

namespace Loam.Tests.Conformance.Snapshots;

/// <summary>csi-sanity "ListSnapshots": filters, pagination with stable tokens, ABORTED on a bad token.</summary>
public sealed class ListSnapshotsSpecs(SanityDriver driver) : SanityTest(driver)
{
    private async Task<Snapshot> MustCreateSnapshot(string volumeId)
    {
        var snapshot = (await Csi.Controller.CreateSnapshotAsync(new CreateSnapshotRequest { Name = UniqueName("list"), SourceVolumeId = volumeId })).Snapshot;
        TrackSnapshot(snapshot.SnapshotId);
        return snapshot;
    }

    private async Task<List<Snapshot>> ListAll(ListSnapshotsRequest? filter = null)
    {
        var all = new List<Snapshot>();
        var request = filter ?? new ListSnapshotsRequest();
        do
        {
            var page = await Csi.Controller.ListSnapshotsAsync(request);
            all.AddRange(page.Entries.Select(e => e.Snapshot));
            request = request.Clone();
            request.StartingToken = page.NextToken;
        }
        while (!string.IsNullOrEmpty(request.StartingToken));
        return all;
    }

    [Fact]
    public async Task Lists_new_snapshots_and_not_deleted_ones()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("list-vol")));
        var snapshot = await MustCreateSnapshot(volume.VolumeId);

        Assert.Contains(await ListAll(), s => s.SnapshotId == snapshot.SnapshotId);
        await Csi.Controller.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshot.SnapshotId });
        Assert.DoesNotContain(await ListAll(), s => s.SnapshotId == snapshot.SnapshotId);
    }

    [Fact]
    public async Task Filters_by_snapshot_id_and_returns_empty_for_an_unknown_one()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("list-vol")));
        var snapshot = await MustCreateSnapshot(volume.VolumeId);
        await MustCreateSnapshot(volume.VolumeId);

        var only = await Csi.Controller.ListSnapshotsAsync(new ListSnapshotsRequest { SnapshotId = snapshot.SnapshotId });
        var unknown = await Csi.Controller.ListSnapshotsAsync(new ListSnapshotsRequest { SnapshotId = "snap-00000000000000000000000000000000" });
        var foreign = await Csi.Controller.ListSnapshotsAsync(new ListSnapshotsRequest { SnapshotId = "some-id" });

        Assert.Equal(snapshot, Assert.Single(only.Entries).Snapshot);
        Assert.Empty(unknown.Entries);
        Assert.Empty(foreign.Entries);
    }

    [Fact]
    public async Task Filters_by_source_volume_and_returns_empty_for_an_unknown_one()
    {
        var a = await MustCreateVolume(CreateVolumeRequest(UniqueName("list-a")));
        var b = await MustCreateVolume(CreateVolumeRequest(UniqueName("list-b")));
        var ofA = new[] { await MustCreateSnapshot(a.VolumeId), await MustCreateSnapshot(a.VolumeId) };
        await MustCreateSnapshot(b.VolumeId);

        var listed = await ListAll(new ListSnapshotsRequest { SourceVolumeId = a.VolumeId });
        var unknown = await Csi.Controller.ListSnapshotsAsync(new ListSnapshotsRequest { SourceVolumeId = "vol-00000000000000000000000000000000" });

        Assert.Equal(ofA.Select(s => s.SnapshotId).Order(), listed.Select(s => s.SnapshotId).Order());
        Assert.Empty(unknown.Entries);
    }

    [Fact]
    public async Task Pages_with_a_next_token_and_lists_each_snapshot_once()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("list-page")));
        var made = new List<string>();
        for (var i = 0; i < 5; i++)
            made.Add((await MustCreateSnapshot(volume.VolumeId)).SnapshotId);

        var first = await Csi.Controller.ListSnapshotsAsync(new ListSnapshotsRequest { SourceVolumeId = volume.VolumeId, MaxEntries = 2 });
        Assert.Equal(2, first.Entries.Count);
        Assert.NotEmpty(first.NextToken);

        // The token stays valid when the page's last snapshot is deleted, and a snapshot added between pages is listed once.
        await Csi.Controller.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = first.Entries[^1].Snapshot.SnapshotId });
        var added = (await MustCreateSnapshot(volume.VolumeId)).SnapshotId;
        var rest = await ListAll(new ListSnapshotsRequest { SourceVolumeId = volume.VolumeId, StartingToken = first.NextToken, MaxEntries = 2 });

        var seen = first.Entries.Select(e => e.Snapshot.SnapshotId).Concat(rest.Select(s => s.SnapshotId)).ToList();
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Subset(seen.ToHashSet(), made.Where(id => id != first.Entries[^1].Snapshot.SnapshotId).ToHashSet());
        if (string.CompareOrdinal(added, first.NextToken) > 0)
            Assert.Contains(added, seen);
    }

    [Fact]
    public async Task A_token_it_never_issued_is_aborted() =>
        await AssertFails(StatusCode.Aborted, () => Csi.Controller.ListSnapshotsAsync(new ListSnapshotsRequest { StartingToken = "bogus-token" }));

    [Fact]
    public async Task Negative_max_entries_is_invalid() =>
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.ListSnapshotsAsync(new ListSnapshotsRequest { MaxEntries = -1 }));
}
