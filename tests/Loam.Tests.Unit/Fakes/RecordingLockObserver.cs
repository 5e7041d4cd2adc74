using Loam.Storage.Locks;
using Loam.Storage.Pools;

namespace Loam.Tests.Unit.Fakes;

public sealed class RecordingLockObserver : IPoolLockObserver
{
    public List<(string Pool, string Reason)> Reports { get; } = [];

    public void CrossProcessLockingUnavailable(Pool pool, string reason)
    {
        lock (Reports)
            Reports.Add((pool.Name, reason));
    }
}
