using Loam.Storage.Os;

namespace Loam.Tests.Unit.Storage;

public sealed class DurableFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("loam-durable-").FullName;
    private readonly DurableFiles _files = new(new DirectorySyncs(new PosixDirectoryFsync()));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_write_replaces_the_whole_file_and_leaves_no_temp_file()
    {
        var path = Path.Combine(_dir, "r.json");
        _files.Write(path, "old content that is longer"u8);

        _files.Write(path, "new"u8);

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    [Fact]
    public void Deleting_a_missing_file_is_not_an_error()
    {
        var path = Path.Combine(_dir, "gone.json");

        _files.Delete(path);

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_write_into_a_missing_folder_fails_and_leaves_nothing()
    {
        var path = Path.Combine(_dir, "missing", "r.json");

        Assert.ThrowsAny<IOException>(() => _files.Write(path, "x"u8));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }
}
