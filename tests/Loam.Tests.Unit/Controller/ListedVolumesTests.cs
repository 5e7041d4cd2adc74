using Loam.Controller;
using Loam.Storage.Volumes;
using Loam.Tests.Unit.Fakes;

namespace Loam.Tests.Unit.Controller;

/// <summary>The list cache keeps what a record decides, never what the disk or a later commit changes.</summary>
public sealed class ListedVolumesTests : IDisposable
{
    private readonly StorageHarness _h = new();
    private readonly ListedVolumes _listed;

    public ListedVolumesTests() => _listed = new ListedVolumes(new VolumeHealth(_h.Images));

    public void Dispose() => _h.Dispose();

    [Fact]
    public void An_image_removed_after_the_volume_was_listed_is_reported_missing_at_the_next_list()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("v"));
        Assert.False(_listed.Entry(_h.Store.Index.Get(volume.Id)!).Status.VolumeCondition.Abnormal);

        File.Delete(volume.ImagePath);
        var entry = _listed.Entry(_h.Store.Index.Get(volume.Id)!);

        Assert.True(entry.Status.VolumeCondition.Abnormal);
        Assert.Contains("missing", entry.Status.VolumeCondition.Message, StringComparison.Ordinal);
        Assert.Equal(volume.Id.Value, entry.Volume.VolumeId);
    }

    [Fact]
    public void A_publish_committed_after_the_volume_was_listed_shows_at_the_next_list()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("v"));
        Assert.Empty(_listed.Entry(_h.Store.Index.Get(volume.Id)!).Status.PublishedNodeIds);

        _h.Attachments.Publish(volume.Id.Value, "node-a",
            new VolumeCapabilitySpec(AccessType.Mount, AccessMode.SingleNodeWriter), readOnly: false);

        Assert.Equal(["node-a"], _listed.Entry(_h.Store.Index.Get(volume.Id)!).Status.PublishedNodeIds);
    }
}
