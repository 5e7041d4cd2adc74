using Loam.Storage;
using Loam.Storage.Pools;
using Loam.Storage.Volumes;
using Loam.Tests.Unit.Fakes;

namespace Loam.Tests.Unit.Admission;

/// <summary>Overcommit as LVM thin pools mean it: the sum of thin sizes is bounded, not each request.</summary>
public sealed class OvercommitTests : IDisposable
{
    // Sizes are whole MiB; GiB keeps the figures exact.
    private const long GB = ByteSize.GiB;
    private readonly StorageHarness _h = new();

    public OvercommitTests()
    {
        _h.Space.TotalBytes = 50 * GB;
        _h.Space.AvailableBytes = 50 * GB;
    }

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Three_thin_volumes_of_30_GB_on_a_50_GB_pool_leave_the_third_refused()
    {
        _h.Provisioner.Create(StorageHarness.Spec("a", required: 30 * GB));

        var e = Assert.Throws<StorageException>(() => _h.Provisioner.Create(Thin("b", 30 * GB)));
        var third = Assert.Throws<StorageException>(() => _h.Provisioner.Create(Thin("c", 30 * GB)));

        Assert.Equal(StorageError.ResourceExhausted, e.Error);
        Assert.Equal(StorageError.ResourceExhausted, third.Error);
        Assert.Contains("thin volumes promise", e.Message, StringComparison.Ordinal);
        Assert.Equal(20 * GB, _h.Capacity.Available(_h.Pool, Provisioning.Thin));
    }

    [Fact]
    public void Overcommit_two_admits_two_of_them_and_refuses_the_third()
    {
        using var h = new StorageHarness();
        h.Space.TotalBytes = 50 * GB;
        h.Space.AvailableBytes = 50 * GB;
        var pool = new Pool(h.Pool.Options with { Overcommit = 2 });
        var capacity = h.Capacity;

        Assert.Equal(100 * GB, capacity.Available(pool, Provisioning.Thin));
        var budget = capacity.Budget(pool) with { ThinBytes = 60 * GB };
        Assert.Equal(40 * GB, budget.Available(Provisioning.Thin));
        Assert.True(30 * GB <= budget.Available(Provisioning.Thin));
        Assert.False(30 * GB <= (budget with { ThinBytes = 90 * GB }).Available(Provisioning.Thin));
    }

    [Fact]
    public void A_thick_volume_is_carved_out_before_thin_volumes_share_the_rest()
    {
        var budget = new PoolBudget(UsableBytes: 50 * GB, FreeBytes: 50 * GB, Overcommit: 2,
            ThinBytes: 0, ThickBytes: 10 * GB, ThickSnapshotDebt: 0);

        // (50 - 10) x 2 for thin; a thick byte costs a whole pool byte.
        Assert.Equal(80 * GB, budget.Available(Provisioning.Thin));
        Assert.Equal(40 * GB, budget.Available(Provisioning.Thick));
        // 60 GB of thin promises use 30 GB of the 40 left: 10 GB more may be thick.
        Assert.Equal(10 * GB, (budget with { ThinBytes = 60 * GB }).Available(Provisioning.Thick));
    }

    [Fact]
    public void Thick_volumes_must_also_fit_in_real_free_space()
    {
        _h.Space.AvailableBytes = 5 * GB;

        Assert.Equal(5 * GB, _h.Capacity.Available(_h.Pool, Provisioning.Thick));
        Assert.Equal(50 * GB, _h.Capacity.Available(_h.Pool, Provisioning.Thin));
    }

    [Fact]
    public void A_pool_with_nothing_free_beyond_its_reserve_admits_nothing()
    {
        _h.Space.AvailableBytes = 0;

        Assert.Equal(0, _h.Capacity.Available(_h.Pool, Provisioning.Thin));
        Assert.Equal(StorageError.ResourceExhausted,
            Assert.Throws<StorageException>(() => _h.Provisioner.Create(Thin("none", ByteSize.MiB))).Error);
    }

    [Theory]
    [InlineData("thin")]
    [InlineData("thick")]
    public void What_capacity_reports_is_exactly_what_the_next_create_accepts(string provisioning)
    {
        _h.Space.TotalBytes = 64 * ByteSize.MiB;
        _h.Space.AvailableBytes = 64 * ByteSize.MiB;
        _h.Provisioner.Create(Block("first", 20 * ByteSize.MiB, "thin"));
        var kind = provisioning == "thick" ? Provisioning.Thick : Provisioning.Thin;
        var available = _h.Capacity.Available(_h.Pool, kind);

        var over = Block("over", available + 1, provisioning) with { Capacity = new(available + 1, 0) };
        var refused = Assert.Throws<StorageException>(() => _h.Provisioner.Create(over));
        _h.Provisioner.Create(Block("exact", available, provisioning));

        Assert.Equal(StorageError.ResourceExhausted, refused.Error);
        Assert.Equal(44 * ByteSize.MiB, available);
    }

    [Fact]
    public void Expanding_a_thin_volume_counts_its_growth_against_the_budget()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("grow", required: 30 * GB));

        var e = Assert.Throws<StorageException>(() => _h.Provisioner.Expand(volume, new CapacityRange(51 * GB, 0)));
        var grown = _h.Provisioner.Expand(volume, new CapacityRange(50 * GB, 0));

        Assert.Equal(StorageError.ResourceExhausted, e.Error);
        Assert.Equal(50 * GB, grown.Record.CapacityBytes);
        Assert.Equal(0, _h.Capacity.Available(_h.Pool, Provisioning.Thin));
    }

    [Fact]
    public void A_thin_volume_made_thick_moves_from_the_thin_sum_to_the_thick_sum()
    {
        _h.Space.TotalBytes = 64 * ByteSize.MiB;
        _h.Space.AvailableBytes = 64 * ByteSize.MiB;
        var volume = _h.Provisioner.Create(Block("v", 40 * ByteSize.MiB, "thin"));

        _h.Provisioner.Modify(volume, new Dictionary<string, string> { ["provisioning"] = "thick" });

        var budget = _h.Capacity.Budget(_h.Pool);
        Assert.Equal((0L, 40 * ByteSize.MiB), (budget.ThinBytes, budget.ThickBytes));
    }

    private static CreateVolumeSpec Thin(string name, long bytes) => StorageHarness.Spec(name, required: bytes);

    private static CreateVolumeSpec Block(string name, long bytes, string provisioning) =>
        StorageHarness.Spec(name, required: bytes, limit: bytes, parameters: new() { ["provisioning"] = provisioning })
        with
        {
            Capabilities = [new VolumeCapabilitySpec(AccessType.Block, AccessMode.SingleNodeWriter)],
        };
}
