using Mono.Unix.Native;

namespace Loam.Storage.Os;

/// <summary>The process's file creation mask (umask(2)), which every file and folder it makes inherits.</summary>
public static class FileCreationMask
{
    /// <summary>From now on nothing this process creates grants anything to others (umask o=rwx).</summary>
    public static void DenyOthers() => Syscall.umask(FilePermissions.S_IRWXO);
}
