namespace Loam.Storage.Volumes;

/// <summary>
/// A CSI capacity range: at least <see cref="RequiredBytes"/>, at most <see cref="LimitBytes"/>;
/// 0 leaves that side open.
/// </summary>
public readonly record struct CapacityRange(long RequiredBytes, long LimitBytes)
{
    /// <summary>Sizes are whole MiB where the range allows, else the largest 512-byte multiple that fits (loop devices need sectors).</summary>
    private const long Alignment = ByteSize.MiB;
    private const long Sector = 512;

    public bool IsEmpty => RequiredBytes == 0 && LimitBytes == 0;

    public bool Contains(long bytes) => bytes >= RequiredBytes && (LimitBytes == 0 || bytes <= LimitBytes);

    /// <summary>
    /// The size to make: the request (or <paramref name="defaultBytes"/> when it names none),
    /// raised to <paramref name="minimumBytes"/> and aligned, all within the limit.
    /// </summary>
    /// <exception cref="StorageException">InvalidArgument for negative bounds, OutOfRange when no size fits.</exception>
    public long Resolve(long defaultBytes, long minimumBytes, long maximumBytes, string minimumReason)
    {
        if (RequiredBytes < 0 || LimitBytes < 0)
            throw StorageException.InvalidArgument($"capacity_range must not be negative (required_bytes {RequiredBytes}, limit_bytes {LimitBytes})");
        if (LimitBytes > 0 && RequiredBytes > LimitBytes)
            throw StorageException.OutOfRange($"required_bytes {RequiredBytes} exceeds limit_bytes {LimitBytes}");
        if (LimitBytes > 0 && LimitBytes < minimumBytes)
            throw StorageException.OutOfRange($"limit_bytes {LimitBytes} is below the minimum of {ByteSize.Format(minimumBytes)} ({minimumBytes} bytes) for {minimumReason}");

        var wanted = RequiredBytes > 0 ? RequiredBytes : LimitBytes > 0 ? Math.Min(defaultBytes, LimitBytes) : defaultBytes;
        wanted = Math.Max(wanted, minimumBytes);
        // Rounding up must not overflow; nothing this large fits anywhere.
        if (wanted > long.MaxValue - Alignment)
            throw StorageException.OutOfRange($"required_bytes {RequiredBytes} is larger than any volume can be");
        var size = ByteSize.RoundUp(wanted, Alignment);
        if (LimitBytes > 0 && size > LimitBytes)
            size = LimitBytes / Sector * Sector;
        if (size < wanted)
            throw StorageException.OutOfRange($"no size in [{RequiredBytes}, {LimitBytes}] is a multiple of {Sector} bytes");
        if (maximumBytes > 0 && size > maximumBytes)
            throw StorageException.OutOfRange($"{ByteSize.Format(size)} exceeds the largest volume allowed here, {ByteSize.Format(maximumBytes)} ({maximumBytes} bytes)");
        return size;
    }
}
