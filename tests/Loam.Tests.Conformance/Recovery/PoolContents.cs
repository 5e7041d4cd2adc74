namespace Loam.Tests.Conformance.Recovery;

/// <summary>What a pool's volumes folder holds on disk: the truth crash tests compare against.</summary>
public sealed record PoolContents(IReadOnlyList<string> Records, IReadOnlyList<string> Images, IReadOnlyList<string> Others)
{
    public static PoolContents Read(string poolPath)
    {
        var files = Directory.GetFiles(Path.Combine(poolPath, "volumes")).Select(Path.GetFileName).OfType<string>().ToList();
        return new PoolContents(
            [.. files.Where(f => f.EndsWith(".json", StringComparison.Ordinal)).Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal)],
            [.. files.Where(f => f.EndsWith(".img", StringComparison.Ordinal)).Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal)],
            // A lock file may stay beside its record, and only there.
            [.. files.Where(f => !f.EndsWith(".json", StringComparison.Ordinal) && !f.EndsWith(".img", StringComparison.Ordinal)
                && !(f.EndsWith(".lock", StringComparison.Ordinal) && files.Contains(Path.ChangeExtension(f, ".json"))))]);
    }

    /// <summary>Exactly these volumes, each with its record and its image, and nothing else.</summary>
    public void AssertExactly(IEnumerable<string> volumeIds)
    {
        var expected = volumeIds.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, Records);
        Assert.Equal(expected, Images);
        Assert.Empty(Others);
    }
}
