namespace Loam.Storage.Os;

public sealed class ProcMountTable : IMountTable
{
    public IReadOnlyList<MountInfo> Read() => MountInfoParser.Parse(File.ReadAllText("/proc/self/mountinfo"));
}
