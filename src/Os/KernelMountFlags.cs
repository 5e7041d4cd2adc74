namespace Loam.Storage.Os;

/// <summary>The MS_* flags of mount(2) that Loam uses, with the kernel's values.</summary>
[Flags]
public enum KernelMountFlags : ulong
{
    None = 0,
    ReadOnly = 1,
    NoSuid = 2,
    NoDev = 4,
    NoExec = 8,
    Synchronous = 16,
    Remount = 32,
    DirSync = 128,
    NoAtime = 1024,
    NoDirAtime = 2048,
    Bind = 4096,
    RelAtime = 1 << 21,
    StrictAtime = 1 << 24,
    LazyTime = 1 << 25,

    /// <summary>Flags that belong to one mount (so a bind mount can carry its own), not to the filesystem.</summary>
    PerMount = ReadOnly | NoSuid | NoDev | NoExec | NoAtime | NoDirAtime | RelAtime | StrictAtime,
}
