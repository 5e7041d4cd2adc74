using System.Runtime;
using Loam.Driver.Serve;

namespace Loam.Tests.Unit.Driver;

public sealed class IdleMemoryTrimTests
{
    [Fact]
    public void A_trim_runs_a_full_collection_and_compacts_the_large_object_heap_once()
    {
        var fullCollections = GC.CollectionCount(GC.MaxGeneration);

        IdleMemoryTrim.Collect();

        Assert.True(GC.CollectionCount(GC.MaxGeneration) > fullCollections);
        // CompactOnce resets to Default after the collection that honoured it.
        Assert.Equal(GCLargeObjectHeapCompactionMode.Default, GCSettings.LargeObjectHeapCompactionMode);
    }

    [Fact]
    public async Task A_scheduled_trim_collects_after_its_delay()
    {
        var fullCollections = GC.CollectionCount(GC.MaxGeneration);

        await IdleMemoryTrim.Schedule(CancellationToken.None);

        Assert.True(GC.CollectionCount(GC.MaxGeneration) > fullCollections);
    }

    [Fact]
    public async Task A_driver_that_is_already_stopping_is_not_trimmed_and_the_trim_ends_quietly()
    {
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();

        var trim = IdleMemoryTrim.Schedule(stopping.Token);

        await trim;
        Assert.True(trim.IsCompletedSuccessfully);
    }
}
