using Loam.Storage.Os;
using Microsoft.Extensions.Logging.Abstractions;

namespace Loam.Tests.Unit.Fakes;

/// <summary>
/// The real copier (the unit-test folder has no reflinks, so it copies sparsely), which
/// notes what was frozen at each copy and can be told to fail the next one.
/// </summary>
public sealed class RecordingCopier(FakeFreezer freezer) : IImageCopier
{
    private readonly ImageCopier _real = new(NullLogger<ImageCopier>.Instance);

    public List<(string Source, string Target, IReadOnlyList<string> FrozenDuringCopy, bool Reflink)> Copies { get; } = [];
    public Exception? NextFailure { get; set; }

    public bool Copy(string source, string target, bool readOnly, bool reflink = true)
    {
        Copies.Add((source, target, [.. freezer.Frozen], reflink));
        if (NextFailure is { } failure)
        {
            NextFailure = null;
            throw failure;
        }
        return _real.Copy(source, target, readOnly, reflink);
    }
}
