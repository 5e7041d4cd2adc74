using System.Diagnostics;

namespace Loam.Bench;

/// <summary>Durations of one kind of call, thread-safe, with nearest-rank percentiles in milliseconds.</summary>
public sealed class Latencies
{
    private readonly List<double> _milliseconds = [];

    public int Count
    {
        get
        {
            lock (_milliseconds)
                return _milliseconds.Count;
        }
    }

    public void Add(TimeSpan elapsed)
    {
        lock (_milliseconds)
            _milliseconds.Add(elapsed.TotalMilliseconds);
    }

    /// <summary>Runs <paramref name="call"/> and records how long it took.</summary>
    public async Task<T> TimeAsync<T>(Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await call();
        Add(Stopwatch.GetElapsedTime(started));
        return result;
    }

    public async Task TimeAsync(Func<Task> call) => await TimeAsync(async () =>
    {
        await call();
        return true;
    });

    public double Percentile(int percentile)
    {
        lock (_milliseconds)
        {
            if (_milliseconds.Count == 0)
                return double.NaN;
            var sorted = _milliseconds.Order().ToList();
            var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
        }
    }

    /// <summary>Adds NAME_p50_ms and NAME_p99_ms to <paramref name="metrics"/>.</summary>
    public void Report(Dictionary<string, double> metrics, string name)
    {
        metrics[name + "_p50_ms"] = Math.Round(Percentile(50), 3);
        metrics[name + "_p99_ms"] = Math.Round(Percentile(99), 3);
    }
}
