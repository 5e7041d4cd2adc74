using Loam.Storage;
using Loam.Storage.Volumes;

namespace Loam.Node;

/// <summary>
/// A volume as the node sees it: its ID, its record (null once deleted) and the image
/// paths (below pool roots resolved at start). Loop devices are matched to them by device
/// and inode, not by these strings. For a deleted volume these are the paths its image had
/// in every pool, so that what is still mounted or attached from it can be found and undone.
/// </summary>
public sealed record NodeVolume(ResourceId Id, StoredVolume? Stored, IReadOnlyList<string> ImagePaths)
{
    public bool Exists => Stored is not null;

    public StoredVolume Volume => Stored ?? throw StorageException.NotFound($"volume {Id} does not exist");

    public string ImagePath => ImagePaths[0];

    public bool Ephemeral => Stored?.Record.Ephemeral == true;
}
