using Loam.Storage;
using Loam.Storage.Volumes;
using Loam.Tests.Unit.Fakes;

namespace Loam.Tests.Unit.Admission;

/// <summary>The running sums beside the volume index equal a count over the records, whatever happened.</summary>
public sealed class VolumeTotalsTests : IDisposable
{
    private readonly StorageHarness _h = new();

    public void Dispose() => _h.Dispose();

    private (long Thin, long Thick) Counted()
    {
        var volumes = _h.Store.Index.Entries();
        return (volumes.Where(v => v.Record.Provisioning == Provisioning.Thin).Sum(v => v.Record.CapacityBytes),
            volumes.Where(v => v.Record.Provisioning == Provisioning.Thick).Sum(v => v.Record.CapacityBytes));
    }

    [Fact]
    public void Creates_expansions_modifications_and_deletes_keep_the_sums_equal_to_the_records()
    {
        var thick = new Dictionary<string, string> { ["provisioning"] = "thick" };
        var a = _h.Provisioner.Create(StorageHarness.Spec("a", required: 2 * ByteSize.MiB));
        var b = _h.Provisioner.Create(StorageHarness.Spec("b", required: 3 * ByteSize.MiB, parameters: thick));
        _h.Provisioner.Create(StorageHarness.Spec("c", required: 5 * ByteSize.MiB));
        a = _h.Provisioner.Expand(a, new CapacityRange(7 * ByteSize.MiB, 0));
        _h.Provisioner.Modify(a, new Dictionary<string, string> { ["provisioning"] = "thick" });
        _h.Provisioner.Delete(b.Id);

        var promises = _h.Store.Promises(_h.Pool);

        Assert.Equal(Counted(), (promises.ThinBytes, promises.ThickBytes));
        Assert.True(promises.ThinBytes > 0 && promises.ThickBytes > 0);
        Assert.Equal(0, promises.ReservedThinBytes);
    }

    [Fact]
    public void A_reload_from_disk_counts_what_the_disk_holds()
    {
        _h.Provisioner.Create(StorageHarness.Spec("a", required: 2 * ByteSize.MiB));
        _h.Provisioner.Create(StorageHarness.Spec("b", required: 3 * ByteSize.MiB));

        _h.Store.Index.Reload();

        var promises = _h.Store.Promises(_h.Pool);
        Assert.Equal(Counted(), (promises.ThinBytes, promises.ThickBytes));
        Assert.True(promises.ThinBytes > 0);
    }
}
