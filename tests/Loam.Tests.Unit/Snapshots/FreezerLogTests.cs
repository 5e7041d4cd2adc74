using Loam.Storage.Snapshots;
using Loam.Tests.Unit.Fakes;
using static Loam.Tests.Unit.Snapshots.SnapshotTestKit;

namespace Loam.Tests.Unit.Snapshots;

/// <summary>What a snapshot's freeze says: frozen and thawed, or crash-consistent only.</summary>
public sealed class FreezerLogTests : IDisposable
{
    private readonly StorageHarness _h = new();
    private readonly CapturingLoggers _loggers = new();

    public void Dispose() => _h.Dispose();

    private VolumeFreezer Freezer() =>
        new(_h.Kernel, _h.Images, _h.Kernel, _h.Freezer, _h.LockFiles, _loggers.For<VolumeFreezer>());

    [Fact]
    public void A_volume_staged_here_is_logged_frozen_and_then_thawed()
    {
        var volume = VolumeWith(_h, "staged", "x");
        Stage(_h, volume, "/staging/staged");

        using (Freezer().Freeze([volume]))
        {
        }

        var lines = _loggers.Lines.Select(l => l.Message).ToList();
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("froze /staging/staged", lines[0], StringComparison.Ordinal);
        Assert.Equal("thawed /staging/staged", lines[1]);
    }

    [Fact]
    public void A_volume_not_staged_here_is_logged_as_crash_consistent_only()
    {
        var volume = VolumeWith(_h, "unstaged", "x");

        using (Freezer().Freeze([volume]))
        {
        }

        var line = Assert.Single(_loggers.Lines);
        Assert.Contains(volume.Id.Value, line.Message, StringComparison.Ordinal);
        Assert.Contains("crash-consistent only", line.Message, StringComparison.Ordinal);
        Assert.Empty(_h.Freezer.Frozen);
    }
}
