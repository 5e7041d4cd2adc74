using Loam.Storage.Os;

namespace Loam.Tests.Unit.Fakes;

/// <summary>
/// A folder fsync the test opens by hand. It models one folder: <see cref="Rename"/> adds a name
/// that is not yet durable; each fsync makes durable exactly the names renamed before it started,
/// once the test opens its gate. Fsync number <see cref="FailingCall"/> throws instead.
/// </summary>
public sealed class GatedFsync : IDirectoryFsync
{
    private readonly Lock _lock = new();
    private readonly List<string> _renamed = [];
    private readonly HashSet<string> _durable = [];
    private readonly Dictionary<int, ManualResetEventSlim> _gates = [];
    private int _started;

    public int FailingCall { get; init; }

    public int Started
    {
        get
        {
            lock (_lock)
                return _started;
        }
    }

    public void Rename(string name)
    {
        lock (_lock)
            _renamed.Add(name);
    }

    public bool IsDurable(string name)
    {
        lock (_lock)
            return _durable.Contains(name);
    }

    public void Open(int call) => Gate(call).Set();

    /// <summary>Blocks until fsync number <paramref name="call"/> has started; false if it never does.</summary>
    public bool AwaitStart(int call) => SpinWait.SpinUntil(() => Started >= call, TimeSpan.FromSeconds(30));

    public void Fsync(string folder)
    {
        int call;
        string[] covered;
        lock (_lock)
        {
            call = ++_started;
            covered = [.. _renamed];
        }
        Gate(call).Wait();
        if (call == FailingCall)
            throw new IOException($"fsync {folder}: EIO (call {call})");
        lock (_lock)
            _durable.UnionWith(covered);
    }

    private ManualResetEventSlim Gate(int call)
    {
        lock (_lock)
        {
            if (!_gates.TryGetValue(call, out var gate))
                _gates[call] = gate = new ManualResetEventSlim();
            return gate;
        }
    }
}
