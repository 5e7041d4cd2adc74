using Loam.Storage;
using Loam.Storage.Os;

namespace Loam.Tests.Unit.Fakes;

/// <summary>
/// Real image files whose creation the test can hold still (to have calls in flight at once) or
/// fail (as a full filesystem would, after the image was half made).
/// </summary>
public sealed class GatedImages(IImageFiles real) : IImageFiles
{
    private readonly ManualResetEventSlim _gate = new(initialState: true);
    private int _held;

    public bool FailCreates { get; set; }

    /// <summary>Creates held inside <see cref="Create"/> right now.</summary>
    public int Held => Volatile.Read(ref _held);

    public void Hold() => _gate.Reset();

    public void Release() => _gate.Set();

    /// <summary>Blocks until <paramref name="creates"/> creates are held; false if they never are.</summary>
    public bool AwaitHeld(int creates) => SpinWait.SpinUntil(() => Held >= creates, TimeSpan.FromSeconds(30));

    public void Create(string path, long size, bool allocate)
    {
        Interlocked.Increment(ref _held);
        try
        {
            _gate.Wait();
        }
        finally
        {
            Interlocked.Decrement(ref _held);
        }
        real.Create(path, size, allocate);
        if (FailCreates)
        {
            real.Delete(path);
            throw StorageException.ResourceExhausted($"pool filesystem is full making {Path.GetFileName(path)}");
        }
    }

    public void Grow(string path, long size, bool allocate) => real.Grow(path, size, allocate);

    public void Allocate(string path) => real.Allocate(path);

    public long AllocatedBytes(string path) => real.AllocatedBytes(path);

    public long Size(string path) => real.Size(path);

    public bool Exists(string path) => real.Exists(path);

    public ImageIdentity? Identify(string path) => real.Identify(path);

    public ulong? FolderDevice(string folder) => real.FolderDevice(folder);

    public void Delete(string path) => real.Delete(path);
}
