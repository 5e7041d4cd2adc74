namespace Loam.Storage.Os;

/// <summary>
/// The one way Loam runs external tools (mkfs.*, resize2fs, xfs_growfs, btrfs, blkid):
/// no shell, LC_ALL=C, a timeout, stderr kept for the error that reaches the caller.
/// </summary>
public interface ICommandRunner
{
    /// <exception cref="StorageException">Internal when the tool is missing or exceeds <paramref name="timeout"/>.</exception>
    Task<CommandResult> RunAsync(string file, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default);
}
