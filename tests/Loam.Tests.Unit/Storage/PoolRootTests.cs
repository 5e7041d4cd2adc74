using Loam.Storage;
using Loam.Storage.Os;
using Loam.Storage.Pools;

namespace Loam.Tests.Unit.Storage;

/// <summary>Pool roots are resolved to their real path once, when the pool set is made.</summary>
public sealed class PoolRootTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "loam-unit-roots-" + Guid.NewGuid().ToString("N"));

    public PoolRootTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "real", "lib"));
        File.CreateSymbolicLink(Path.Combine(_root, "var"), Path.Combine(_root, "real"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_pool_under_a_symlinked_folder_gets_its_real_root_also_when_the_pool_folder_does_not_exist_yet()
    {
        var pools = new PoolSet([new PoolOptions("default", Path.Combine(_root, "var", "lib", "loam"))]);

        Assert.Equal(Path.Combine(_root, "real", "lib", "loam"), pools.Default.Root);
        Assert.Equal(Path.Combine(_root, "real", "lib", "loam", "volumes"), pools.Default.VolumesDirectory);
    }

    [Fact]
    public void Two_spellings_of_one_folder_are_one_root()
    {
        var e = Assert.Throws<StorageException>(() => new PoolSet([
            new PoolOptions("a", Path.Combine(_root, "var", "lib")),
            new PoolOptions("b", Path.Combine(_root, "real", "lib")),
        ]));

        Assert.Equal(StorageError.InvalidArgument, e.Error);
    }

    [Theory]
    [InlineData(0x0801UL, 8UL, 1UL)]
    [InlineData(0xfd00UL, 253UL, 0UL)]
    [InlineData(0x12345UL, 0x123UL, 0x45UL)]
    [InlineData(0x1a00cbdUL, 0x0cUL, 0x1abdUL)]
    public void The_kernels_lo_device_compares_equal_to_st_dev(ulong loDevice, ulong major, ulong minor)
    {
        Assert.Equal($"{major}:{minor}", HostFiles.DeviceNumber(ImageIdentity.DeviceFromKernel(loDevice)));
    }
}
