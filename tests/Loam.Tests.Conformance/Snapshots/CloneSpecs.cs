using Csi.V1;
using Grpc.Core;

namespace Loam.Tests.Conformance.Snapshots;

/// <summary>csi-sanity "CreateVolume" from a source snapshot or volume, and the errors of a content source.</summary>
public sealed class CloneSpecs(SanityDriver driver) : SanityTest(driver)
{
    private static CreateVolumeRequest From(string name, VolumeContentSource source, long size = TestVolumeSize)
    {
        var request = CreateVolumeRequest(name, size);
        request.VolumeContentSource = source;
        return request;
    }

    private static VolumeContentSource OfSnapshot(string id) => new() { Snapshot = new() { SnapshotId = id } };

    private static VolumeContentSource OfVolume(string id) => new() { Volume = new() { VolumeId = id } };

    private async Task<Snapshot> MustCreateSnapshot(string volumeId)
    {
        var snapshot = (await Csi.Controller.CreateSnapshotAsync(new CreateSnapshotRequest { Name = UniqueName("clone-snap"), SourceVolumeId = volumeId })).Snapshot;
        TrackSnapshot(snapshot.SnapshotId);
        return snapshot;
    }

    [Fact]
    public async Task Creates_a_volume_from_an_existing_snapshot_and_repeats_idempotently()
    {
        var source = await MustCreateVolume(CreateVolumeRequest(UniqueName("clone-src")));
        var snapshot = await MustCreateSnapshot(source.VolumeId);
        var request = From(UniqueName("restore"), OfSnapshot(snapshot.SnapshotId));

        var volume = await MustCreateVolume(request);
        var again = await MustCreateVolume(request);

        Assert.Equal(snapshot.SnapshotId, volume.ContentSource.Snapshot.SnapshotId);
        Assert.Equal(TestVolumeSize, volume.CapacityBytes);
        Assert.Equal(volume, again);
    }

    [Fact]
    public async Task Creates_a_volume_from_an_existing_volume()
    {
        var source = await MustCreateVolume(CreateVolumeRequest(UniqueName("clone-src")));

        var volume = await MustCreateVolume(From(UniqueName("clone"), OfVolume(source.VolumeId)));

        Assert.Equal(source.VolumeId, volume.ContentSource.Volume.VolumeId);
    }

    [Fact]
    public async Task A_clone_may_be_larger_than_its_source()
    {
        var source = await MustCreateVolume(CreateVolumeRequest(UniqueName("clone-src")));

        var volume = await MustCreateVolume(From(UniqueName("clone-big"), OfVolume(source.VolumeId), 2 * TestVolumeSize));

        Assert.Equal(2 * TestVolumeSize, volume.CapacityBytes);
    }

    [Fact]
    public async Task A_missing_source_snapshot_is_not_found() =>
        await AssertFails(StatusCode.NotFound, () => Csi.Controller.CreateVolumeAsync(
            From(UniqueName("restore"), OfSnapshot("snap-00000000000000000000000000000000"))));

    [Fact]
    public async Task A_missing_source_volume_is_not_found() =>
        await AssertFails(StatusCode.NotFound, () => Csi.Controller.CreateVolumeAsync(
            From(UniqueName("clone"), OfVolume("vol-00000000000000000000000000000000"))));

    [Fact]
    public async Task A_request_smaller_than_the_source_is_out_of_range()
    {
        var source = await MustCreateVolume(CreateVolumeRequest(UniqueName("clone-src"), 2 * TestVolumeSize));
        var snapshot = await MustCreateSnapshot(source.VolumeId);

        var message = await AssertFails(StatusCode.OutOfRange, () => Csi.Controller.CreateVolumeAsync(From(UniqueName("restore"), OfSnapshot(snapshot.SnapshotId))));
        await AssertFails(StatusCode.OutOfRange, () => Csi.Controller.CreateVolumeAsync(From(UniqueName("clone"), OfVolume(source.VolumeId))));
        Assert.Contains(snapshot.SnapshotId, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_name_with_another_source_already_exists()
    {
        var source = await MustCreateVolume(CreateVolumeRequest(UniqueName("clone-src")));
        var other = await MustCreateVolume(CreateVolumeRequest(UniqueName("clone-other")));
        var name = UniqueName("clone");
        await MustCreateVolume(From(name, OfVolume(source.VolumeId)));

        await AssertFails(StatusCode.AlreadyExists, () => Csi.Controller.CreateVolumeAsync(From(name, OfVolume(other.VolumeId))));
    }
}
