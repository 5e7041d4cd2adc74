using System.Security.Cryptography;
using System.Text;

namespace Loam.Tests.Chaos.Harness;

/// <summary>
/// A known pattern written through a published mount and checked later: the file's bytes come
/// from the volume ID and a version, so a lost, stale or torn write shows as a checksum mismatch.
/// </summary>
public static class DataPattern
{
    public const string FileName = "chaos-pattern.bin";
    private const int Size = 256 * 1024;

    /// <summary>Writes version <paramref name="version"/> of the pattern and syncs it; returns its SHA-256.</summary>
    public static string Write(string mountPath, string volumeId, int version)
    {
        var bytes = Bytes(volumeId, version);
        var path = Path.Combine(mountPath, FileName);
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }
        return Convert.ToHexString(SHA256.HashData(bytes));
    }

    /// <returns>null when the file holds exactly the expected bytes, else what is wrong.</returns>
    public static string? Verify(string mountPath, string expectedSha256)
    {
        var path = Path.Combine(mountPath, FileName);
        if (!File.Exists(path))
            return $"{path} is missing";
        var actual = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        return actual == expectedSha256 ? null : $"{path} has checksum {actual}, expected {expectedSha256}";
    }

    private static byte[] Bytes(string volumeId, int version)
    {
        var seed = BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes($"{volumeId}/{version}")), 0);
        var bytes = new byte[Size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
