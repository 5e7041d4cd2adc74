namespace Loam.Storage.Os;

/// <summary>Recognises "the filesystem is full" in what FileStream and File throw.</summary>
public static class NoSpace
{
    /// <summary>ENOSPC (28) and EDQUOT (122) surface from .NET's file APIs as an IOException with that HResult.</summary>
    public static bool Is(IOException e) => (e.HResult & 0xFFFF) is 28 or 122;
}
