using Loam.Storage.Os;

namespace Loam.Tests.Unit.Fakes;

/// <summary>statvfs with figures the test chooses: a pool can be made full or read-only at will.</summary>
public sealed class FakeFileSystemSpace : IFileSystemSpace
{
    public long TotalBytes { get; set; } = 100L << 30;
    public long AvailableBytes { get; set; } = 50L << 30;
    public bool ReadOnly { get; set; }
    public bool Broken { get; set; }

    public SpaceInfo Query(string path) => Broken
        ? throw new IOException($"statvfs {path}: EIO")
        : new SpaceInfo(TotalBytes, AvailableBytes, AvailableBytes, 1_000_000, 900_000, ReadOnly);
}
