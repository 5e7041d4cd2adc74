using Csi.V1;

namespace Loam.Client;

/// <summary>
/// What a client asks CreateVolume for: a name, a size, mount (with a filesystem) or raw block,
/// StorageClass-style parameters, and optionally a snapshot or volume to start from.
/// </summary>
public sealed record VolumeSpec(string Name, long SizeBytes)
{
    /// <summary>Filesystem for a mount volume; empty lets the driver choose.</summary>
    public string FsType { get; init; } = "";
    public bool Block { get; init; }
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    public string? FromSnapshotId { get; init; }
    public string? FromVolumeId { get; init; }

    public VolumeCapability Capability() => Block ? VolumeCapabilities.Block() : VolumeCapabilities.Mount(FsType);

    public CreateVolumeRequest ToRequest()
    {
        var request = new CreateVolumeRequest { Name = Name, CapacityRange = new() { RequiredBytes = SizeBytes } };
        request.VolumeCapabilities.Add(Capability());
        foreach (var (key, value) in Parameters)
            request.Parameters[key] = value;
        if (FromSnapshotId is { } snapshot)
            request.VolumeContentSource = new() { Snapshot = new() { SnapshotId = snapshot } };
        else if (FromVolumeId is { } volume)
            request.VolumeContentSource = new() { Volume = new() { VolumeId = volume } };
        return request;
    }
}
