namespace Loam.Storage.Os;

/// <summary>
/// Seam over loop devices. The kernel's state is the truth: every method reads it afresh
/// (/sys/block/loop*/loop/backing_file), and attach goes through ioctls on /dev/loop-control
/// and the device (LOOP_CTL_GET_FREE, LOOP_CONFIGURE), never through parsing losetup output.
/// </summary>
public interface ILoopDevices
{
    /// <summary>The device backed by <paramref name="imagePath"/>, or null when none is attached.</summary>
    LoopDevice? FindByBackingFile(string imagePath);

    IReadOnlyList<LoopDevice> List();

    /// <summary>Attaches the image to a free loop device, with direct I/O when the pool's filesystem allows it.</summary>
    LoopDevice Attach(string imagePath, bool readOnly, bool directIo);

    /// <summary>Detaches the device; a device already free is not an error.</summary>
    void Detach(string devicePath);

    /// <summary>Re-reads the backing file's size after the image grew (LOOP_SET_CAPACITY).</summary>
    void RefreshSize(string devicePath);
}
