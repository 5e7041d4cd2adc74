using System.Text.Json;
using Loam.Storage;
using Loam.Storage.Records;
using Loam.Storage.Snapshots;
using Loam.Storage.Volumes;
using Loam.Tests.Unit.Fakes;

namespace Loam.Tests.Unit.Admission;

public sealed class RecordIndexTests : IDisposable
{
    private readonly StorageHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void The_index_rebuilt_at_start_up_equals_the_records_on_disk()
    {
        for (var i = 0; i < 5; i++)
            _h.Provisioner.Create(StorageHarness.Spec($"v{i}", required: ByteSize.MiB));
        var attached = _h.Provisioner.Create(StorageHarness.Spec("attached", required: ByteSize.MiB));
        _h.Attachments.Publish(attached.Id.Value, "node-a",
            new VolumeCapabilitySpec(AccessType.Mount, AccessMode.SingleNodeWriter), readOnly: false);
        _h.Provisioner.Delete(VolumeProvisioner.IdFor("v3"));
        var snapshot = _h.SnapshotMaker.Create("s", VolumeProvisioner.IdFor("v1").Value);

        // A new process over the same pools.
        var volumes = new VolumeStore(_h.PoolSet, _h.Files);
        var snapshots = new SnapshotStore(_h.PoolSet, _h.Files);
        volumes.Index.Reload();
        snapshots.Index.Reload();

        var onDisk = volumes.ListIds().Select(id => Json(volumes.Find(id)!)).ToList();
        Assert.Equal(5, onDisk.Count);
        Assert.Equal(onDisk, volumes.Index.Entries().Select(Json));
        Assert.Equal(_h.Store.Index.Entries().Select(Json), volumes.Index.Entries().Select(Json));
        Assert.Equal([Json(snapshot.Record)], snapshots.Index.Entries().Select(s => Json(s.Record)));
    }

    private static string Json(StoredVolume volume) =>
        volume.Pool.Name + " " + JsonSerializer.Serialize(volume.Record, StorageJson.Default.VolumeRecord);

    private static string Json(SnapshotRecord record) => JsonSerializer.Serialize(record, StorageJson.Default.SnapshotRecord);

    [Fact]
    public void Every_save_and_delete_shows_in_the_index_at_once()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("v", required: ByteSize.MiB));
        Assert.Same(volume.Record, _h.Store.Index.Get(volume.Id)!.Record);

        var grown = _h.Provisioner.Expand(volume, new CapacityRange(2 * ByteSize.MiB, 0));
        Assert.Same(grown.Record, _h.Store.Index.Get(volume.Id)!.Record);

        _h.Provisioner.Delete(volume.Id);
        Assert.Null(_h.Store.Index.Get(volume.Id));
        Assert.Empty(_h.Store.Index.Entries());
    }

    [Fact]
    public void An_unreadable_record_stays_out_of_the_index_and_the_rest_load()
    {
        _h.Provisioner.Create(StorageHarness.Spec("good", required: ByteSize.MiB));
        File.WriteAllText(_h.Pool.RecordPath(VolumeProvisioner.IdFor("torn")), "{ not json");

        var volumes = new VolumeStore(_h.PoolSet, _h.Files);

        Assert.Equal("good", Assert.Single(volumes.Index.Entries()).Record.Name);
    }
}
