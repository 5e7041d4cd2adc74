namespace Loam.Bench;

/// <summary>
/// Writes blocks of pseudo-random bytes at pseudo-random block-aligned offsets of a raw block
/// device, from one seeded generator, so a run with the same seed writes the same blocks; then
/// fsyncs, so a snapshot taken afterwards holds them.
/// </summary>
public sealed class RandomBlockWriter(int seed, int blockSize, long deviceBytes)
{
    private readonly Random _random = new(seed);
    private readonly byte[] _buffer = new byte[blockSize];

    /// <summary>Writes <paramref name="count"/> blocks to <paramref name="devicePath"/>; returns their offsets, in the order written.</summary>
    public async Task<IReadOnlyList<long>> WriteAsync(string devicePath, int count, CancellationToken cancellationToken)
    {
        var blocks = deviceBytes / blockSize;
        if (blocks < 1)
            throw new ArgumentException($"the volume ({deviceBytes} bytes) is smaller than one {blockSize}-byte block");
        var offsets = new List<long>(count);
        await using var device = new FileStream(devicePath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        for (var i = 0; i < count; i++)
        {
            var offset = _random.NextInt64(blocks) * blockSize;
            _random.NextBytes(_buffer);
            await RandomAccess.WriteAsync(device.SafeFileHandle, _buffer, offset, cancellationToken);
            offsets.Add(offset);
        }
        device.Flush(flushToDisk: true);
        return offsets;
    }
}
