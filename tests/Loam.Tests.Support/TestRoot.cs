namespace Loam.Tests.Support;

/// <summary>
/// A fresh folder under /tmp/loam-tests for one test. Dispose unmounts and detaches
/// everything below it, then deletes it, whether the test passed or not.
/// </summary>
public sealed class TestRoot : IDisposable
{
    public const string Base = "/tmp/loam-tests";

    public TestRoot(string name = "t")
    {
        Path = System.IO.Path.Combine(Base, $"{name}-{Guid.NewGuid():N}"[..Math.Min(name.Length + 13, 60)]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Makes a folder below the root and returns its path.</summary>
    public string Folder(params string[] parts)
    {
        var path = Combine(parts);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        MountCleanup.Under(Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A lazily unmounted path may still be busy for a moment; the folder is in /tmp.
        }
    }
}
