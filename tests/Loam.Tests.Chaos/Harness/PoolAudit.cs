using System.Text.Json;
using Csi.V1;
using Loam.Storage.Records;

namespace Loam.Tests.Chaos.Harness;

/// <summary>
/// Compares what should exist with what does: the pool on disk (every record parses, each has
/// exactly its image, no temp files or orphans), ListVolumes (paged), image sizes, the kernel's
/// loop devices and mounts. Returns every discrepancy found, so a soak can report them all.
/// </summary>
public static class PoolAudit
{
    /// <param name="volumes">volume ID → capacity the CO was last told.</param>
    /// <param name="expectedMounts">mount points below the bed's mount root that should exist.</param>
    /// <param name="expectedLoopDevices">how many of the pool's images should be on a loop device.</param>
    public static async Task<List<string>> CheckAsync(ChaosBed bed, CoClient co, IReadOnlyDictionary<string, long> volumes,
        IReadOnlyCollection<string> expectedMounts, int expectedLoopDevices)
    {
        var problems = new List<string>();
        var volumesDirectory = Path.Combine(bed.PoolPath, "volumes");
        var files = Directory.GetFiles(volumesDirectory).Select(f => Path.GetFileName(f)).ToList();
        var records = files.Where(f => f.EndsWith(".json", StringComparison.Ordinal)).Select(Path.GetFileNameWithoutExtension).OfType<string>().ToHashSet();
        var images = files.Where(f => f.EndsWith(".img", StringComparison.Ordinal)).Select(Path.GetFileNameWithoutExtension).OfType<string>().ToHashSet();
        // A volume's lock file lives beside its record for as long as the record does.
        var others = files.Where(f => !f.EndsWith(".json", StringComparison.Ordinal) && !f.EndsWith(".img", StringComparison.Ordinal)
            && !(f.EndsWith(".lock", StringComparison.Ordinal) && records.Contains(Path.GetFileNameWithoutExtension(f)))).ToList();
        Compare(problems, "records on disk", volumes.Keys, records);
        Compare(problems, "images on disk", volumes.Keys, images);
        if (others.Count > 0)
            problems.Add($"stray files in the volumes folder: {string.Join(", ", others)}");
        // No test keeps snapshots or group snapshots past its audit: whatever is there was left behind.
        foreach (var folder in new[] { "snapshots", "groups" })
        {
            var path = Path.Combine(bed.PoolPath, folder);
            if (Directory.Exists(path) && Directory.GetFiles(path) is { Length: > 0 } left)
                problems.Add($"left in {folder}: {string.Join(", ", left.Select(Path.GetFileName))}");
        }

        foreach (var id in records)
        {
            var recordPath = Path.Combine(volumesDirectory, id + ".json");
            try
            {
                var record = JsonSerializer.Deserialize(await File.ReadAllTextAsync(recordPath), StorageJson.Default.VolumeRecord);
                if (record is null || record.Id != id)
                    problems.Add($"record {id} names {record?.Id ?? "nothing"}");
                else if (volumes.TryGetValue(id, out var capacity) && record.CapacityBytes != capacity)
                    problems.Add($"record {id} says {record.CapacityBytes} bytes, the CO was told {capacity}");
                var image = new FileInfo(Path.Combine(volumesDirectory, id + ".img"));
                if (record is not null && image.Exists && image.Length != record.CapacityBytes)
                    problems.Add($"image of {id} is {image.Length} bytes, its record says {record.CapacityBytes}");
            }
            catch (JsonException e)
            {
                problems.Add($"record {id} does not parse: {e.Message}");
            }
        }

        Dictionary<string, long> listed;
        try
        {
            listed = await ListAllAsync(co);
        }
        catch (Grpc.Core.RpcException e)
        {
            problems.Add($"ListVolumes failed: {e.Status}");
            listed = [];
        }
        Compare(problems, "ListVolumes", volumes.Keys, listed.Keys.ToHashSet());
        foreach (var (id, capacity) in listed)
        {
            if (volumes.TryGetValue(id, out var expected) && expected != capacity)
                problems.Add($"ListVolumes says {id} has {capacity} bytes, the CO was told {expected}");
        }

        Compare(problems, "mounts below the mount root", expectedMounts, bed.MountsBelowMountRoot().ToHashSet());
        var loops = bed.VolumeLoopDevices();
        if (loops.Count != expectedLoopDevices)
            problems.Add($"{loops.Count} loop devices on pool images, expected {expectedLoopDevices}: {string.Join(", ", loops.Select(d => $"{d} ({BackingFile(d)})"))}");
        return problems;
    }

    private static string BackingFile(string device)
    {
        try
        {
            return File.ReadAllText($"/sys/block/{Path.GetFileName(device)}/loop/backing_file").Trim();
        }
        catch (IOException)
        {
            return "released";
        }
    }

    /// <summary>Every volume ListVolumes reports, two per page so the tokens are exercised.</summary>
    public static async Task<Dictionary<string, long>> ListAllAsync(CoClient co)
    {
        var all = new Dictionary<string, long>(StringComparer.Ordinal);
        var token = "";
        do
        {
            var request = new ListVolumesRequest { MaxEntries = 2, StartingToken = token };
            var page = await co.Call("ListVolumes", (c, o) => c.Controller.ListVolumesAsync(request, o));
            foreach (var entry in page.Entries)
                all[entry.Volume.VolumeId] = entry.Volume.CapacityBytes;
            token = page.NextToken;
        }
        while (token.Length > 0);
        return all;
    }

    private static void Compare(List<string> problems, string what, IEnumerable<string> expected, IReadOnlySet<string> actual)
    {
        var expectedSet = expected.ToHashSet();
        var missing = expectedSet.Except(actual).Order(StringComparer.Ordinal).ToList();
        var extra = actual.Except(expectedSet).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            problems.Add($"{what}: missing {string.Join(", ", missing)}");
        if (extra.Count > 0)
            problems.Add($"{what}: unexpected {string.Join(", ", extra)}");
    }
}
