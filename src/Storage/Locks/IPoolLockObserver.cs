using Loam.Storage.Pools;

namespace Loam.Storage.Locks;

/// <summary>Hears what the lock layer must tell an operator; the host logs it.</summary>
public interface IPoolLockObserver
{
    /// <summary>
    /// Called once per pool, the first time its filesystem refuses flock: from then on locks on
    /// that pool hold within this process only, until the filesystem grants flock again.
    /// </summary>
    void CrossProcessLockingUnavailable(Pool pool, string reason);
}
