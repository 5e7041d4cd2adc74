using Csi.V1;

namespace Loam.Tests.Integration.Capacity;

/// <summary>
/// btrfs counts a deleted file's blocks as used until its next commit (up to 30 s later): a
/// CreateVolume right after a DeleteVolume of the same size must still fit.
/// </summary>
public sealed class FreedSpaceTests
{
    [RootFact]
    public async Task A_thick_create_right_after_a_delete_of_the_same_size_fits_on_btrfs()
    {
        await using var bed = await Testbed.StartAsync("btrfs", "freed", poolSize: 1L << 30);
        var thick = new Dictionary<string, string> { ["provisioning"] = "thick" };
        var capacity = new GetCapacityRequest();
        capacity.Parameters.Add(thick);
        var available = (await bed.Csi.Controller.GetCapacityAsync(capacity)).AvailableCapacity;
        // More than half of what is free: the second create fits only once the first one's blocks count as free.
        var size = available * 3 / 5 / (1L << 20) * (1L << 20);

        for (var round = 0; round < 3; round++)
        {
            var volume = await CreateThickAsync(bed, $"pvc-freed-{round}", size, thick);
            await bed.Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume.VolumeId });
        }
        var last = await CreateThickAsync(bed, "pvc-freed-last", size, thick);

        Assert.Equal(size, last.CapacityBytes);
    }

    private static async Task<Volume> CreateThickAsync(Testbed bed, string name, long size,
        Dictionary<string, string> parameters)
    {
        var request = new CreateVolumeRequest
        {
            Name = name,
            CapacityRange = new() { RequiredBytes = size, LimitBytes = size },
        };
        request.VolumeCapabilities.Add(Testbed.Block());
        request.Parameters.Add(parameters);
        return (await bed.Csi.Controller.CreateVolumeAsync(request)).Volume;
    }
}
