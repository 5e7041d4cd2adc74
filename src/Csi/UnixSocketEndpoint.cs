using Loam.Storage;
using Loam.Storage.Os;

namespace Loam.Csi;

/// <summary>The CSI endpoint, <c>unix:///path/csi.sock</c> (a bare absolute path is accepted too).</summary>
public sealed record UnixSocketEndpoint(string Path)
{
    public const string DefaultAddress = "unix:///run/loam/csi.sock";

    public static UnixSocketEndpoint Parse(string address)
    {
        var path = address.StartsWith("unix://", StringComparison.Ordinal) ? address["unix://".Length..] : address;
        if (!System.IO.Path.IsPathFullyQualified(path))
            throw StorageException.InvalidArgument($"endpoint '{address}' must be unix:///ABSOLUTE/PATH");
        return new UnixSocketEndpoint(path);
    }

    /// <summary>Makes the socket's folder and removes a socket left by a killed process.</summary>
    /// <returns>true when a stale socket was removed.</returns>
    public bool Prepare()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        if (!File.Exists(Path))
            return false;
        File.Delete(Path);
        return true;
    }

    /// <summary>Owner and group only (0660): the socket lets callers attach and mount devices.</summary>
    public void Restrict() => SocketFileMode.OwnerAndGroupOnly(Path);

    public void Remove() => File.Delete(Path);

    public override string ToString() => "unix://" + Path;
}
