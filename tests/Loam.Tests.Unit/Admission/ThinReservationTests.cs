using Loam.Storage;
using Loam.Storage.Volumes;
using Loam.Tests.Unit.Fakes;

namespace Loam.Tests.Unit.Admission;

/// <summary>
/// Blank thin creates hold a reservation, not the pool's admission lock, while they make the image
/// and commit the record: they overlap, and the budget still counts every one in flight.
/// </summary>
public sealed class ThinReservationTests : IDisposable
{
    private static readonly TimeSpan Stuck = TimeSpan.FromMinutes(1);
    private readonly StorageHarness _h = new();
    private readonly GatedImages _images;
    private readonly VolumeProvisioner _provisioner;

    public ThinReservationTests()
    {
        // (10 GiB - 0 reserve) x overcommit 1.
        _h.Space.TotalBytes = 10 * ByteSize.GiB;
        _h.Space.AvailableBytes = 10 * ByteSize.GiB;
        _images = new GatedImages(_h.Images);
        _provisioner = new VolumeProvisioner(_h.Store, _images, _h.Capacity, _h.Admission, _h.Options,
            TimeProvider.System, _h.ContentSource, _h.Kernel);
    }

    public void Dispose()
    {
        _images.Release();
        _h.Dispose();
    }

    private Task<StoredVolume> CreateInBackground(string name, long bytes) =>
        Task.Factory.StartNew(() => _provisioner.Create(StorageHarness.Spec(name, required: bytes)),
            TaskCreationOptions.LongRunning);

    private string[] PoolFiles() =>
        [.. Directory.GetFiles(_h.Pool.VolumesDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public async Task Two_thin_creates_that_fit_alone_but_not_together_admit_one_and_leave_nothing_of_the_other()
    {
        _images.Hold();
        var first = CreateInBackground("first", 6 * ByteSize.GiB);
        Assert.True(_images.AwaitHeld(1));

        // The first is still making its image: its reservation, not a lock, is what the second meets.
        var second = CreateInBackground("second", 6 * ByteSize.GiB);
        var refused = await Assert.ThrowsAsync<StorageException>(() => second.WaitAsync(Stuck));
        _images.Release();
        var made = await first.WaitAsync(Stuck);

        Assert.Equal(StorageError.ResourceExhausted, refused.Error);
        Assert.Equal([made.Id], _h.Store.Index.Entries().Select(v => v.Id));
        Assert.Equal([made.Id.Value + ".img", made.Id.Value + ".json"], PoolFiles());
        Assert.Equal(4 * ByteSize.GiB, _h.Capacity.Available(_h.Pool, Provisioning.Thin));
    }

    [Fact]
    public async Task Thin_creates_that_fit_together_make_their_images_at_the_same_time()
    {
        _images.Hold();
        var creates = new[] { CreateInBackground("a", 3 * ByteSize.GiB), CreateInBackground("b", 3 * ByteSize.GiB) };

        Assert.True(_images.AwaitHeld(2));
        _images.Release();
        await Task.WhenAll(creates).WaitAsync(Stuck);

        Assert.Equal(2, _h.Store.Index.Entries().Count);
        Assert.Equal(4 * ByteSize.GiB, _h.Capacity.Available(_h.Pool, Provisioning.Thin));
    }

    [Fact]
    public void A_failed_thin_create_gives_its_reservation_back()
    {
        _images.FailCreates = true;
        var e = Assert.Throws<StorageException>(
            () => _provisioner.Create(StorageHarness.Spec("full", required: 6 * ByteSize.GiB)));
        _images.FailCreates = false;

        Assert.Equal(StorageError.ResourceExhausted, e.Error);
        Assert.Empty(PoolFiles());
        Assert.Equal(10 * ByteSize.GiB, _h.Capacity.Available(_h.Pool, Provisioning.Thin));
        Assert.NotNull(_provisioner.Create(StorageHarness.Spec("whole", required: 10 * ByteSize.GiB)));
    }

    [Fact]
    public void A_thin_expansion_counts_once_its_record_is_committed()
    {
        var volume = _provisioner.Create(StorageHarness.Spec("grows", required: 2 * ByteSize.GiB));

        _provisioner.Expand(volume, new CapacityRange(5 * ByteSize.GiB, 0));

        Assert.Equal(5 * ByteSize.GiB, _h.Capacity.Available(_h.Pool, Provisioning.Thin));
        var e = Assert.Throws<StorageException>(
            () => _provisioner.Expand(volume, new CapacityRange(11 * ByteSize.GiB, 0)));
        Assert.Equal(StorageError.ResourceExhausted, e.Error);
        Assert.Equal(5 * ByteSize.GiB, _h.Capacity.Available(_h.Pool, Provisioning.Thin));
    }
}
