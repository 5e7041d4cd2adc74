using Loam.Storage;
using Loam.Tests.Unit.Fakes;

namespace Loam.Tests.Unit.Storage;

public sealed class OperationLocksTests : IDisposable
{
    private readonly StorageHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void A_second_operation_on_the_same_key_is_aborted_and_named()
    {
        var locks = _h.Locks;
        using var first = locks.Acquire("vol-1", "CreateVolume");

        var e = Assert.Throws<StorageException>(() => locks.Acquire("vol-1", "DeleteVolume"));

        Assert.Equal(StorageError.Aborted, e.Error);
        Assert.Contains("CreateVolume", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_released_key_can_be_taken_again_and_double_release_is_harmless()
    {
        var locks = _h.Locks;
        var lease = locks.Acquire("vol-1", "a");
        lease.Dispose();
        lease.Dispose();

        using var again = locks.Acquire("vol-1", "b");
        Assert.Equal(StorageError.Aborted, Assert.Throws<StorageException>(() => locks.Acquire("vol-1", "c")).Error);
    }

    [Fact]
    public void Taking_several_keys_is_all_or_nothing()
    {
        var locks = _h.Locks;
        using var held = locks.Acquire("b", "other");

        Assert.Throws<StorageException>(() => locks.AcquireAll(["a", "b", "c"], "group"));

        Assert.Null(Record.Exception(() => locks.Acquire("a", "probe").Dispose()));
        Assert.Null(Record.Exception(() => locks.Acquire("c", "probe").Dispose()));
    }

    [Fact]
    public async Task Concurrent_callers_get_exactly_one_winner()
    {
        var locks = _h.Locks;
        var winners = 0;
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
        {
            start.Wait();
            try
            {
                var lease = locks.Acquire("vol-x", "op");
                Interlocked.Increment(ref winners);
                return lease;
            }
            catch (StorageException)
            {
                return null;
            }
        })).ToArray();
        start.Set();
        var leases = await Task.WhenAll(tasks);

        Assert.Equal(1, winners);
        Assert.Single(leases, l => l is not null);
    }
}
