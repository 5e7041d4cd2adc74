using Loam.Storage.Locks;
using Loam.Storage.Pools;
using Microsoft.Extensions.Logging;

namespace Loam.Csi;

/// <summary>Logs what the lock layer reports (once per pool).</summary>
public sealed class LoggingPoolLockObserver(ILogger<OperationLocks> logger) : IPoolLockObserver
{
    public void CrossProcessLockingUnavailable(Pool pool, string reason) =>
        CsiLog.CrossProcessLockingUnavailable(logger, pool.Name, reason);
}
