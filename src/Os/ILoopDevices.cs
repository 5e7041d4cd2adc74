namespace Loam.Storage.Os;

/// <summary>
/// Seam over loop devices. The kernel's state is the truth: every method reads it afresh
/// (/sys/block/loop*, LOOP_GET_STATUS64 for the backing file's device and inode), and attach
/// goes through ioctls on /dev/loop-control and the device (LOOP_CTL_GET_FREE, LOOP_CONFIGURE),
/// never through parsing losetup output. Which device holds which image is decided by
/// <c>Loam.Storage.Images.ImageLoops</c> (the model) from the identities listed here, never from path text.
/// </summary>
public interface ILoopDevices
{
    /// <summary>Every bound loop device with its backing file's identity.</summary>
    IReadOnlyList<LoopDevice> List();

    /// <summary>
    /// Attaches the image (opened by the one image policy: O_NOFOLLOW, regular files only) to a
    /// free loop device, with direct I/O when the pool's filesystem allows it.
    /// </summary>
    LoopDevice Attach(string imagePath, bool readOnly, bool directIo);

    /// <summary>Detaches the device; a device already free is not an error.</summary>
    void Detach(string devicePath);

    /// <summary>Re-reads the backing file's size after the image grew (LOOP_SET_CAPACITY).</summary>
    void RefreshSize(string devicePath);
}
