using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Loam.Storage.Os;

namespace Loam.Storage.Records;

/// <summary>Reads and durably writes one JSON record.</summary>
public static class RecordFile
{
    /// <returns>the record, or null when the file does not exist.</returns>
    /// <exception cref="StorageException">Internal when the file exists but cannot be read as a record.</exception>
    public static T? Read<T>(string path, JsonTypeInfo<T> type) where T : class
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw new JsonException("empty record");
        }
        catch (JsonException e)
        {
            throw StorageException.Internal($"record {path} is unreadable: {e.Message}", e);
        }
    }

    /// <exception cref="StorageException">ResourceExhausted when the filesystem is full; the old record is left as it was.</exception>
    public static void Write<T>(IDurableFiles files, string path, T record, JsonTypeInfo<T> type)
    {
        try
        {
            files.Write(path, JsonSerializer.SerializeToUtf8Bytes(record, type));
        }
        catch (IOException e) when (NoSpace.Is(e))
        {
            throw StorageException.ResourceExhausted($"no space left on the filesystem of {Path.GetDirectoryName(path)} to write {Path.GetFileName(path)}; the record is unchanged", e);
        }
    }
}
