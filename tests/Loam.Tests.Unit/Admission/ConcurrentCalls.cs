using Loam.Storage;

namespace Loam.Tests.Unit.Admission;

/// <summary>
/// Runs calls on as many threads at once as there are calls, released together, and collects each one's outcome.
/// </summary>
internal static class ConcurrentCalls
{
    /// <returns>per call, null for success or the storage error it raised.</returns>
    public static StorageError?[] Run(int count, Action<int> call)
    {
        var outcomes = new StorageError?[count];
        using var start = new Barrier(count);
        var threads = Enumerable.Range(0, count).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            try
            {
                call(i);
            }
            catch (StorageException e)
            {
                outcomes[i] = e.Error;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return outcomes;
    }

    public static int Succeeded(this StorageError?[] outcomes) => outcomes.Count(o => o is null);
}
