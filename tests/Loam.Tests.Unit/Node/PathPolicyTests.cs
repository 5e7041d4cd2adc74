using Loam.Node;
using Loam.Storage;
using Loam.Storage.Os;

namespace Loam.Tests.Unit.Node;

/// <summary>Path checks against a real folder tree with real symbolic links (no root needed).</summary>
public sealed class PathPolicyTests : IDisposable
{
    private readonly string _base = Path.Combine(Path.GetTempPath(), "loam-unit-paths-" + Guid.NewGuid().ToString("N"));
    private readonly string _root;
    private readonly PathPolicy _paths;

    public PathPolicyTests()
    {
        _root = Directory.CreateDirectory(Path.Combine(_base, "kubelet")).FullName;
        Directory.CreateDirectory(Path.Combine(_base, "elsewhere"));
        Directory.CreateDirectory(Path.Combine(_root, "pods"));
        _paths = new PathPolicy(new NodeOptions { AllowedRoots = [_root] }, new HostFiles());
    }

    [Fact]
    public void A_path_below_the_root_is_accepted_even_when_it_does_not_exist_yet()
    {
        Assert.Equal(_root + "/pods/p1/volumes/target", _paths.Check(_root + "/pods/p1/volumes/target", "target_path"));
    }

    [Fact]
    public void A_symlink_that_stays_inside_the_root_resolves_to_its_target()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "alias"), Path.Combine(_root, "pods"));

        Assert.Equal(_root + "/pods/x", _paths.Check(_root + "/alias/x", "target_path"));
    }

    [Theory]
    [InlineData("relative/path")]
    [InlineData("")]
    public void A_relative_path_is_invalid(string path)
    {
        var e = Assert.Throws<StorageException>(() => _paths.Check(path, "staging_target_path"));

        Assert.Equal(StorageError.InvalidArgument, e.Error);
        Assert.StartsWith("staging_target_path", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_symlink_leading_out_of_the_root_is_invalid()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "escape"), Path.Combine(_base, "elsewhere"));

        var e = Assert.Throws<StorageException>(() => _paths.Check(_root + "/escape/target", "target_path"));

        Assert.Contains("outside the allowed roots", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_symlink_climbing_out_with_dot_dot_is_invalid()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "pods", "up"), "../../elsewhere");

        Assert.Throws<StorageException>(() => _paths.Check(_root + "/pods/up/target", "target_path"));
    }

    [Theory]
    [InlineData("/pods/../../elsewhere/x")]
    [InlineData("")]
    [InlineData("/")]
    public void Dot_dot_out_of_the_root_and_the_root_itself_are_invalid(string suffix)
    {
        Assert.Throws<StorageException>(() => _paths.Check(_root + suffix, "target_path"));
    }

    [Fact]
    public void A_root_prefix_that_is_not_a_parent_is_not_inside_it()
    {
        Directory.CreateDirectory(_root + "-evil");

        Assert.Throws<StorageException>(() => _paths.Check(_root + "-evil/x", "target_path"));
    }

    [Fact]
    public void A_symlink_loop_is_invalid()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "a"), Path.Combine(_root, "b"));
        File.CreateSymbolicLink(Path.Combine(_root, "b"), Path.Combine(_root, "a"));

        Assert.Equal(StorageError.InvalidArgument, Assert.Throws<StorageException>(() => _paths.Check(_root + "/a/x", "target_path")).Error);
    }

    public void Dispose() => Directory.Delete(_base, recursive: true);
}
