using Loam.Storage;

namespace Loam.Csi.Mapping;

/// <summary>Presence checks for request fields; each failure names the field.</summary>
public static class Require
{
    public static string NotEmpty(string? value, string field) =>
        string.IsNullOrEmpty(value) ? throw StorageException.InvalidArgument($"{field} is required") : value;

    public static T Present<T>(T? value, string field) where T : class =>
        value ?? throw StorageException.InvalidArgument($"{field} is required");

    /// <summary>A CO name (volume or snapshot): not empty, no control characters, at most 1024 bytes.</summary>
    public static string Name(string? value, string field)
    {
        NotEmpty(value, field);
        if (value!.Length > 1024)
            throw StorageException.InvalidArgument($"{field} is {value.Length} characters long; at most 1024 are accepted");
        if (value.Any(char.IsControl))
            throw StorageException.InvalidArgument($"{field} must not contain control characters");
        return value;
    }
}
