namespace Loam.Storage.Os;

/// <summary>
/// What <see cref="IFileLocks.TryLock"/> got: the lock (<see cref="Held"/> set), another holder
/// (<see cref="Busy"/>), or a filesystem that cannot lock (<see cref="Unsupported"/> says why:
/// ENOLCK, EOPNOTSUPP). A folder that does not exist holds nothing to protect: <see cref="Missing"/>.
/// </summary>
public sealed record FileLockAttempt(IFileLock? Held, bool Busy, string? Unsupported, bool Missing = false)
{
    public static FileLockAttempt Taken(IFileLock held) => new(held, false, null);
    public static FileLockAttempt HeldElsewhere { get; } = new(null, true, null);
    public static FileLockAttempt NoFolder { get; } = new(null, false, null, Missing: true);
    public static FileLockAttempt CannotLock(string why) => new(null, false, why);
}
