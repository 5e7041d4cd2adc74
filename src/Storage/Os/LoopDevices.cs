namespace Loam.Storage.Os;

/// <summary>
/// Loop devices through sysfs (reads) and ioctls (changes). Reads are fresh on every call:
/// the kernel's table is the truth across driver restarts and node reboots.
/// </summary>
public sealed class LoopDevices : ILoopDevices
{
    private const string SysBlock = "/sys/block";

    public LoopDevice? FindByBackingFile(string imagePath)
    {
        var wanted = Path.GetFullPath(imagePath);
        return List().FirstOrDefault(d => d.BackingFile == wanted);
    }

    public IReadOnlyList<LoopDevice> List()
    {
        var devices = new List<LoopDevice>();
        if (!Directory.Exists(SysBlock))
            return devices;
        foreach (var dir in Directory.EnumerateDirectories(SysBlock, "loop*"))
        {
            if (Read(dir) is { } device)
                devices.Add(device);
        }
        return devices;
    }

    public LoopDevice Attach(string imagePath, bool readOnly, bool directIo) =>
        throw new NotImplementedException("attach lands with the Node service (issue 3)");

    public void Detach(string devicePath) =>
        throw new NotImplementedException("detach lands with the Node service (issue 3)");

    public void RefreshSize(string devicePath) =>
        throw new NotImplementedException("refresh lands with the Node service (issue 3)");

    // A free device has no loop/backing_file; a device may also vanish between listing and reading.
    private static LoopDevice? Read(string sysDir)
    {
        try
        {
            var loop = Path.Combine(sysDir, "loop");
            var backing = Path.Combine(loop, "backing_file");
            if (!File.Exists(backing))
                return null;
            var file = File.ReadAllText(backing).TrimEnd('\n');
            // The kernel appends " (deleted)" when the image was unlinked while attached.
            var sectors = long.Parse(File.ReadAllText(Path.Combine(sysDir, "size")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var readOnly = File.ReadAllText(Path.Combine(sysDir, "ro")).Trim() == "1";
            var dio = File.Exists(Path.Combine(loop, "dio")) && File.ReadAllText(Path.Combine(loop, "dio")).Trim() == "1";
            return new LoopDevice("/dev/" + Path.GetFileName(sysDir), file, sectors * 512, readOnly, dio);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
