namespace Loam.Storage.Volumes;

/// <summary>
/// Thin images are sparse and reserve nothing; thick images are allocated in full
/// (fallocate) when made, so writes inside them can never run out of pool space.
/// </summary>
public enum Provisioning
{
    Thin,
    Thick,
}
