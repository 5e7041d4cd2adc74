namespace Loam.Storage.Os;

/// <summary>An attached loop device, as the kernel reports it in /sys/block/loopN.</summary>
public sealed record LoopDevice(string DevicePath, string BackingFile, long SizeBytes, bool ReadOnly, bool DirectIo);
