using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Loam.Storage.Os;

/// <summary>
/// Group commit of folder fsyncs. Per folder at most one fsync is in flight. A caller that
/// arrives while none runs starts one, which covers its own change. A caller that arrives while
/// one runs cannot count on it (that fsync may have started before the caller's rename or
/// unlink), so it joins the next batch: once the running fsync ends, one waiter of that batch
/// runs the next fsync, and it covers every caller that joined, however many. A failed fsync
/// fails every caller of its batch.
/// </summary>
public sealed class DirectorySyncs(IDirectoryFsync fsync)
{
    private readonly ConcurrentDictionary<string, Folder> _folders = new(StringComparer.Ordinal);

    /// <summary>Returns once every change made in <paramref name="folder"/> before the call is durable.</summary>
    /// <exception cref="IOException">when the fsync that was to cover the caller failed.</exception>
    public void Sync(string folder)
    {
        var state = _folders.GetOrAdd(folder, _ => new Folder());
        var batch = Join(state);
        if (batch.Leader == Environment.CurrentManagedThreadId && !batch.Done)
            Run(folder, state, batch);
        if (batch.Error is { } error)
            ExceptionDispatchInfo.Throw(error);
    }

    /// <summary>Callers waiting for the next fsync of <paramref name="folder"/> (for tests of the batching).</summary>
    internal int Waiting(string folder)
    {
        if (!_folders.TryGetValue(folder, out var state))
            return 0;
        lock (state)
            return state.Next?.Callers ?? 0;
    }

    // Returns the caller's batch: done, or started with the caller as its leader.
    private static Batch Join(Folder state)
    {
        lock (state)
        {
            var batch = state.Next ??= new Batch();
            batch.Callers++;
            while (!batch.Done && batch.Leader == 0)
            {
                if (state.Running is null)
                {
                    state.Next = null;
                    state.Running = batch;
                    batch.Leader = Environment.CurrentManagedThreadId;
                    break;
                }
                Monitor.Wait(state);
            }
            if (batch.Leader != Environment.CurrentManagedThreadId)
            {
                while (!batch.Done)
                    Monitor.Wait(state);
            }
            return batch;
        }
    }

    private void Run(string folder, Folder state, Batch batch)
    {
        Exception? error = null;
        try
        {
            fsync.Fsync(folder);
        }
        catch (Exception e)
        {
            error = e;
        }
        lock (state)
        {
            batch.Error = error;
            batch.Done = true;
            state.Running = null;
            Monitor.PulseAll(state);
        }
    }

    private sealed class Folder
    {
        public Batch? Running;
        // The batch callers join while an fsync runs; it starts once that one ends.
        public Batch? Next;
    }

    private sealed class Batch
    {
        public int Callers;
        public int Leader;
        public bool Done;
        public Exception? Error;
    }
}
