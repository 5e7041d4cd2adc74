using Loam.Storage.Os;

namespace Loam.Tests.Integration.SnapshotMetadata;

/// <summary>A sparse volume image that remembers nothing: tests write known blocks into it, synced.</summary>
public static class VolumeWriter
{
    public static void Create(string path, long size)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        file.SetLength(size);
    }

    /// <summary>Writes each range full of a byte no earlier write used (so content always changes), then fsyncs.</summary>
    public static void Write(string path, IEnumerable<ByteRange> ranges, ref byte pattern)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        foreach (var range in ranges)
        {
            pattern = (byte)(pattern % 250 + 1);
            var bytes = new byte[range.Length];
            Array.Fill(bytes, pattern);
            RandomAccess.Write(file.SafeFileHandle, bytes, range.Offset);
        }
        file.Flush(flushToDisk: true);
    }
}
