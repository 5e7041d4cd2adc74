using System.Text;
using Csi.V1;
using static Loam.Tests.Integration.Snapshots.SnapshotBed;

namespace Loam.Tests.Integration.Snapshots;

/// <summary>A group snapshot freezes every member before copying any, so the members agree on one instant.</summary>
public sealed class GroupSnapshotTests
{
    private const int RecordLength = 16;

    /// <remarks>On ext4 each member is a real copy that takes a while, so without the freeze the writer would run far ahead between the two copies.</remarks>
    [RootTheory]
    [InlineData("xfs")]
    [InlineData("ext4")]
    public async Task Members_of_a_group_snapshot_taken_under_writes_are_mutually_consistent(string poolFs)
    {
        await using var bed = await Testbed.StartAsync(poolFs, "group-" + poolFs, poolSize: 1L << 30);
        var capability = Testbed.Mount("ext4");
        var a = await bed.CreateVolumeAsync("pvc-a", 64L << 20, capability);
        var b = await bed.CreateVolumeAsync("pvc-b", 64L << 20, capability);
        var fileA = Path.Combine(await bed.MountAsync(a.VolumeId, "a", capability), "seq");
        var fileB = Path.Combine(await bed.MountAsync(b.VolumeId, "b", capability), "seq");
        WriteCounter(fileA, 0);
        WriteCounter(fileB, 0);

        // The writer bumps A, then B: at any instant B <= A <= B + 1.
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            for (var i = 1L; !stop.IsCancellationRequested; i++)
            {
                WriteCounter(fileA, i);
                WriteCounter(fileB, i);
            }
        });
        await Task.Delay(300);
        var request = new CreateVolumeGroupSnapshotRequest { Name = "group-1" };
        request.SourceVolumeIds.Add([a.VolumeId, b.VolumeId]);
        var group = (await bed.Csi.GroupController.CreateVolumeGroupSnapshotAsync(request)).GroupSnapshot;
        await stop.CancelAsync();
        await writer;

        var seen = new Dictionary<string, long>();
        foreach (var member in group.Snapshots)
        {
            var name = member.SourceVolumeId == a.VolumeId ? "a" : "b";
            var restored = await bed.CreateFromAsync("restore-" + name, 64L << 20, capability, OfSnapshot(member.SnapshotId));
            var target = await bed.MountAsync(restored.VolumeId, "restore-" + name, capability);
            seen[name] = ReadCounter(Path.Combine(target, "seq"));
        }
        Assert.True(seen["a"] > 0, "the writer should have run before the group snapshot");
        Assert.InRange(seen["a"] - seen["b"], 0, 1);
    }

    private static void WriteCounter(string path, long value)
    {
        using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite);
        stream.Write(Encoding.ASCII.GetBytes(value.ToString("D" + RecordLength, System.Globalization.CultureInfo.InvariantCulture)));
        stream.Flush(flushToDisk: true);
    }

    private static long ReadCounter(string path) =>
        long.Parse(File.ReadAllText(path).AsSpan(0, RecordLength), System.Globalization.CultureInfo.InvariantCulture);
}
