using System.Globalization;
using System.Text;
using Mono.Unix.Native;

namespace Loam.Storage.Os;

/// <summary>
/// Loop devices through sysfs and LOOP_GET_STATUS64 (reads) and ioctls (changes). Reads are fresh on every call:
/// the kernel's table is the truth across driver restarts and node reboots. Attach takes a
/// free device with LOOP_CTL_GET_FREE and binds it with one LOOP_CONFIGURE (kernel 5.8+);
/// another process may win the same free device, so a busy device means "ask again".
/// </summary>
public sealed class LoopDevices : ILoopDevices
{
    private const string SysBlock = "/sys/block";
    private const string Control = "/dev/loop-control";
    private const int MaxAttempts = 32;

    private const nuint LoopClearFd = 0x4C01;
    private const nuint LoopGetStatus64 = 0x4C05;
    private const nuint LoopSetCapacity = 0x4C07;
    private const nuint LoopSetDirectIo = 0x4C08;
    private const nuint LoopConfigure = 0x4C0A;
    private const nuint LoopControlGetFree = 0x4C82;

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

    public LoopDevice Attach(string imagePath, bool readOnly, bool directIo)
    {
        var control = Open(Control, OpenFlags.O_RDWR, "is the loop module loaded and /dev the host's?");
        try
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var number = Libc.Ioctl(control, LoopControlGetFree, 0);
                if (number < 0)
                    throw StorageException.Internal($"no free loop device: LOOP_CTL_GET_FREE failed with {Libc.Describe(Libc.LastError())}");
                var devicePath = "/dev/loop" + number.ToString(CultureInfo.InvariantCulture);
                if (TryBind(devicePath, imagePath, readOnly, directIo) is { } device)
                    return device;
            }
            throw StorageException.Internal($"no free loop device for {imagePath}: {MaxAttempts} free devices were taken by other processes first");
        }
        finally
        {
            Syscall.close(control);
        }
    }

    public void Detach(string devicePath)
    {
        EnsureLoopPath(devicePath);
        var fd = Syscall.open(devicePath, OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC);
        if (fd < 0)
        {
            var errno = Stdlib.GetLastError();
            if (errno is Errno.ENOENT or Errno.ENXIO)
                return;
            throw StorageException.Internal($"open {devicePath} failed: {Libc.Describe(errno)}");
        }
        try
        {
            if (Libc.Ioctl(fd, LoopClearFd, 0) == 0)
                return;
            var error = Libc.LastError();
            // ENXIO: the device is free already.
            if (error != Errno.ENXIO)
                throw StorageException.Internal($"detaching {devicePath} failed: {Libc.Describe(error)}");
        }
        finally
        {
            Syscall.close(fd);
        }
    }

    public void RefreshSize(string devicePath)
    {
        EnsureLoopPath(devicePath);
        var fd = Open(devicePath, OpenFlags.O_RDONLY, "is it attached?");
        try
        {
            if (Libc.Ioctl(fd, LoopSetCapacity, 0) != 0)
                throw StorageException.Internal($"LOOP_SET_CAPACITY on {devicePath} failed: {Libc.Describe(Libc.LastError())}");
        }
        finally
        {
            Syscall.close(fd);
        }
    }

    /// <returns>the bound device, or null when another process bound it first.</returns>
    private static LoopDevice? TryBind(string devicePath, string imagePath, bool readOnly, bool directIo)
    {
        var device = Open(devicePath, OpenFlags.O_RDWR, "the kernel just offered it as free");
        try
        {
            // Only a regular file in the pool is ever attached (and so formatted): not what a symlink
            // swapped in for an image points to, nor a device node.
            using (var backing = OpenImage(imagePath, readOnly))
            {
                var fd = (int)backing.DangerousGetHandle();
                var error = Configure(device, fd, imagePath, readOnly, directIo);
                // A filesystem that cannot do direct I/O at this block size refuses the flag: go buffered.
                if (error == Errno.EINVAL && directIo)
                    error = Configure(device, fd, imagePath, readOnly, directIo: false);
                if (error == Errno.EBUSY)
                    return null;
                if (error != 0)
                    throw StorageException.Internal($"LOOP_CONFIGURE of {devicePath} with {imagePath} failed: {Libc.Describe(error)}"
                        + (error is Errno.ENOTTY ? " (Loam needs Linux 5.8 or later)" : ""));
            }
            // Some kernels accept the flag and quietly stay buffered; ask once more explicitly.
            if (directIo && !ReadFlag(devicePath, "loop/dio"))
                _ = Libc.Ioctl(device, LoopSetDirectIo, 1);
            return Read(Path.Combine(SysBlock, Path.GetFileName(devicePath)))
                ?? throw StorageException.Internal($"{devicePath} shows no backing file right after LOOP_CONFIGURE");
        }
        finally
        {
            Syscall.close(device);
        }
    }

    private static unsafe Errno Configure(int device, int backing, string imagePath, bool readOnly, bool directIo)
    {
        var config = new LoopConfig
        {
            Fd = (uint)backing,
            // Always 512-byte sectors: left at 0, a direct-I/O device takes the image's DIO
            // alignment, which on xfs is the whole block once the image shares extents (a
            // snapshot, a clone, or a volume that was snapshotted), and a filesystem made on
            // 512-byte sectors then no longer mounts. Where 512 cannot be served directly the
            // kernel refuses the flag and the attach goes buffered.
            BlockSize = 512,
        };
        config.Info.Flags = (readOnly ? LoopConfig.FlagReadOnly : 0) | (directIo ? LoopConfig.FlagDirectIo : 0);
        // lo_file_name is informational (LOOP_GET_STATUS64); the kernel keeps the real path itself.
        var name = Encoding.UTF8.GetBytes(imagePath);
        var length = Math.Min(name.Length, 63);
        for (var i = 0; i < length; i++)
            config.Info.FileName[i] = name[i];
        return Libc.Ioctl(device, LoopConfigure, &config) == 0 ? 0 : Libc.LastError();
    }

    private static int Open(string path, OpenFlags flags, string hint)
    {
        var fd = Syscall.open(path, flags | OpenFlags.O_CLOEXEC);
        if (fd < 0)
            throw StorageException.Internal($"open {path} failed: {Libc.Describe(Stdlib.GetLastError())} ({hint})");
        return fd;
    }

    private static void EnsureLoopPath(string devicePath)
    {
        if (!devicePath.StartsWith("/dev/loop", StringComparison.Ordinal) || devicePath.Length == "/dev/loop".Length
            || devicePath.AsSpan("/dev/loop".Length).ContainsAnyExceptInRange('0', '9'))
            throw StorageException.Internal($"'{devicePath}' is not a loop device");
    }

    private static bool ReadFlag(string devicePath, string attribute)
    {
        try
        {
            return File.ReadAllText(Path.Combine(SysBlock, Path.GetFileName(devicePath), attribute)).Trim() == "1";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static Microsoft.Win32.SafeHandles.SafeFileHandle OpenImage(string imagePath, bool readOnly)
    {
        try
        {
            return ImageOpen.Existing(imagePath, write: !readOnly);
        }
        catch (FileNotFoundException)
        {
            throw StorageException.NotFound($"image {imagePath} does not exist");
        }
    }

    /// <summary>
    /// The backing file's device and inode (LOOP_GET_STATUS64), or null when the device is free
    /// (ENXIO) or gone (ENOENT) by now. The kernel reports them also for a backing file unlinked
    /// since, whose inode lives on while the device holds it open.
    /// </summary>
    private static unsafe ImageIdentity? BackingIdentity(string devicePath)
    {
        var fd = Syscall.open(devicePath, OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK);
        if (fd < 0)
        {
            var errno = Stdlib.GetLastError();
            return errno is Errno.ENOENT or Errno.ENXIO
                ? null
                : throw StorageException.Internal(
                    $"open {devicePath} failed: {Libc.Describe(errno)} (is /dev the host's?)");
        }
        try
        {
            LoopInfo64 info;
            if (Libc.Ioctl(fd, LoopGetStatus64, &info) == 0)
                return new ImageIdentity(ImageIdentity.DeviceFromKernel(info.Device), info.Inode);
            var error = Libc.LastError();
            return error == Errno.ENXIO
                ? null
                : throw StorageException.Internal($"LOOP_GET_STATUS64 on {devicePath} failed: {Libc.Describe(error)}");
        }
        finally
        {
            Syscall.close(fd);
        }
    }

    // A free device has no loop/backing_file; a device may also vanish between listing and reading.
    private static LoopDevice? Read(string sysDir)
    {
        try
        {
            var loop = Path.Combine(sysDir, "loop");
            var backing = Path.Combine(loop, "backing_file");
            if (!File.Exists(backing))
                return null;
            // The kernel appends " (deleted)" when the image was unlinked while attached.
            var file = File.ReadAllText(backing).TrimEnd('\n');
            var sectors = long.Parse(File.ReadAllText(Path.Combine(sysDir, "size")).Trim(), CultureInfo.InvariantCulture);
            var readOnly = File.ReadAllText(Path.Combine(sysDir, "ro")).Trim() == "1";
            var dio = File.Exists(Path.Combine(loop, "dio")) && File.ReadAllText(Path.Combine(loop, "dio")).Trim() == "1";
            var number = File.ReadAllText(Path.Combine(sysDir, "dev")).Trim();
            var devicePath = "/dev/" + Path.GetFileName(sysDir);
            if (BackingIdentity(devicePath) is not { } image)
                return null;
            return new LoopDevice(devicePath, file, sectors * 512, readOnly, dio, number, image);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
