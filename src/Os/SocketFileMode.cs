using Mono.Unix.Native;

namespace Loam.Storage.Os;

/// <summary>Permissions of a socket file this process listens on.</summary>
public static class SocketFileMode
{
    /// <summary>Owner and group may read and write (0660), others nothing.</summary>
    /// <exception cref="IOException">chmod failed; the message names the path and the errno.</exception>
    public static void OwnerAndGroupOnly(string path)
    {
        const FilePermissions mode =
            FilePermissions.S_IRUSR | FilePermissions.S_IWUSR | FilePermissions.S_IRGRP | FilePermissions.S_IWGRP;
        if (Syscall.chmod(path, mode) != 0)
            throw new IOException($"chmod {path}: {Stdlib.GetLastError()}");
    }
}
