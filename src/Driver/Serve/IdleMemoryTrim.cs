using System.Runtime;

namespace Loam.Driver.Serve;

/// <summary>
/// One compacting, decommitting collection shortly after the socket listens. Start-up (host build,
/// DI, endpoint routing, Kestrel) leaves a few MiB of garbage and committed GC segments that a
/// 1 MiB gen0 budget never revisits while the driver idles; an aggressive collection returns them
/// to the kernel. It runs once, off the request path, so no call waits on it for more than the
/// collection's own pause (a few ms on a start-up heap).
/// </summary>
public static class IdleMemoryTrim
{
    /// <summary>Long enough for the first Probe, which builds the route table, to have allocated.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(200);

    /// <summary>Collects once after <see cref="Delay"/>, unless the driver is stopping by then.</summary>
    public static Task Schedule(CancellationToken stopping) => Task.Run(async () =>
    {
        try
        {
            await Task.Delay(Delay, stopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        Collect();
    }, CancellationToken.None);

    /// <summary>A full, blocking, compacting collection, of the large object heap too, that decommits.</summary>
    public static void Collect()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
