using Csi.V1;
using Mode = Csi.V1.VolumeCapability.Types.AccessMode.Types.Mode;

namespace Loam.Client;

/// <summary>The volume capabilities a single-node client asks for: one writer, mount or block.</summary>
public static class VolumeCapabilities
{
    /// <summary>A mounted filesystem for one node; an empty <paramref name="fsType"/> lets the driver choose.</summary>
    public static VolumeCapability Mount(string fsType = "") =>
        new() { AccessMode = new() { Mode = Mode.SingleNodeWriter }, Mount = new() { FsType = fsType } };

    public static VolumeCapability Block() =>
        new() { AccessMode = new() { Mode = Mode.SingleNodeWriter }, Block = new() };
}
