using Loam.Storage;
using Loam.Storage.Volumes;
using Loam.Tests.Unit.Fakes;

namespace Loam.Tests.Unit.Admission;

/// <summary>
/// Many calls on different volumes at once against one limit: exactly as many succeed as the
/// limit allows, the rest are RESOURCE_EXHAUSTED, whatever the interleaving.
/// </summary>
public sealed class AdmissionRaceTests : IDisposable
{
    private const int Calls = 12;
    private readonly StorageHarness _h = new(maxVolumesPerNode: 2);

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Concurrent_publishes_of_different_volumes_to_one_node_never_pass_its_attach_limit()
    {
        var ids = Enumerable.Range(0, Calls)
            .Select(i => _h.Provisioner.Create(StorageHarness.Spec($"v{i}", required: ByteSize.MiB)).Id.Value)
            .ToList();
        var writer = new VolumeCapabilitySpec(AccessType.Mount, AccessMode.SingleNodeWriter);

        var outcomes = ConcurrentCalls.Run(Calls, i => _h.Attachments.Publish(ids[i], "node-a", writer, readOnly: false));

        Assert.Equal(2, outcomes.Succeeded());
        Assert.All(outcomes.Where(o => o is not null), o => Assert.Equal(StorageError.ResourceExhausted, o));
        Assert.Equal(2, ids.Count(id => _h.Store.Find(id)!.Record.Attachments.Count == 1));
        Assert.Equal(2, _h.Attachments.AttachedTo("node-a"));
    }

    [Fact]
    public void Concurrent_thin_creates_in_one_pool_never_promise_more_than_its_budget()
    {
        // (10 GiB - 0 reserve) x overcommit 1: three of 3 GiB fit, a fourth does not.
        _h.Space.TotalBytes = 10 * ByteSize.GiB;
        _h.Space.AvailableBytes = 10 * ByteSize.GiB;

        var outcomes = ConcurrentCalls.Run(Calls,
            i => _h.Provisioner.Create(StorageHarness.Spec($"thin{i}", required: 3 * ByteSize.GiB)));

        Assert.Equal(3, outcomes.Succeeded());
        Assert.All(outcomes.Where(o => o is not null), o => Assert.Equal(StorageError.ResourceExhausted, o));
        Assert.Equal(9 * ByteSize.GiB, _h.Store.Index.Entries().Sum(v => v.Record.CapacityBytes));
        Assert.Equal(3, Directory.GetFiles(_h.Pool.VolumesDirectory, "*.img").Length);
    }

    [Fact]
    public void Concurrent_thick_creates_in_one_pool_never_allocate_more_than_is_free()
    {
        // The images' real blocks come off the free space, as on a real filesystem: 100 MiB free holds three of 30 MiB.
        _h.Space.TotalBytes = 10 * ByteSize.GiB;
        _h.Space.AvailableBytes = 100 * ByteSize.MiB;
        _h.Space.ChargedFolder = _h.Pool.VolumesDirectory;
        var thick = new Dictionary<string, string> { ["provisioning"] = "thick" };

        var outcomes = ConcurrentCalls.Run(Calls,
            i => _h.Provisioner.Create(Block($"thick{i}", 30 * ByteSize.MiB, thick)));

        Assert.Equal(3, outcomes.Succeeded());
        Assert.All(outcomes.Where(o => o is not null), o => Assert.Equal(StorageError.ResourceExhausted, o));
        Assert.Equal(3, Directory.GetFiles(_h.Pool.VolumesDirectory, "*.img").Length);
    }

    [Fact]
    public void Admission_in_one_pool_does_not_wait_for_another_pool()
    {
        using var shared = new StorageHarness(sharedPool: true);
        using var held = shared.Admission.ForPool("default");

        StoredVolume? made = null;
        var spec = StorageHarness.Spec("elsewhere", parameters: new() { ["pool"] = "shared" });
        var other = new Thread(() => made = shared.Provisioner.Create(spec));
        other.Start();

        Assert.True(other.Join(TimeSpan.FromSeconds(30)), "a create in pool 'shared' waited for pool 'default'");
        Assert.Equal("shared", made?.Pool.Name);
    }

    private static CreateVolumeSpec Block(string name, long bytes, Dictionary<string, string> parameters) =>
        StorageHarness.Spec(name, required: bytes, limit: bytes, parameters: parameters) with
        {
            Capabilities = [new VolumeCapabilitySpec(AccessType.Block, AccessMode.SingleNodeWriter)],
        };
}
