using System.Text.Json;
using Loam.Client;

namespace Loam.Driver.Cli;

/// <summary>
/// What `loam mount` did, so `loam unmount DIR` can undo it: a small JSON list of
/// <see cref="MountRecord"/>s, keyed by target path. Updates hold an exclusive lock file and
/// replace the list by rename, so two CLI runs never lose each other's records.
/// </summary>
public sealed class MountStateFile(string path)
{
    public const string DefaultPath = "/var/lib/loam/cli/mounts.json";
    public const string EnvironmentVariable = "LOAM_CLI_STATE";

    public string Path { get; } = path;

    public MountRecord? Find(string targetPath) => Read().FirstOrDefault(r => r.TargetPath == targetPath);

    /// <summary>Applies <paramref name="change"/> to the list under the lock.</summary>
    public async Task UpdateAsync(Func<List<MountRecord>, Task> change)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        await using var lockFile = await LockAsync();
        var records = Read();
        await change(records);
        var temp = Path + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(records, CliJson.Default.ListMountRecord));
        File.Move(temp, Path, overwrite: true);
    }

    private List<MountRecord> Read()
    {
        if (!File.Exists(Path))
            return [];
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(Path), CliJson.Default.ListMountRecord) ?? [];
        }
        catch (JsonException e)
        {
            throw new CliException(ExitCodes.MountState, $"mount state {Path} is unreadable: {e.Message}");
        }
    }

    private async Task<FileStream> LockAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(Path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 100)
            {
                await Task.Delay(50);
            }
        }
    }
}
