namespace Loam.Client;

/// <summary>Enum values of the generated contract under the names the CSI spec uses (CREATE_DELETE_VOLUME).</summary>
public static class CsiNames
{
    public static string Of<T>(T value) where T : struct, Enum
    {
        var pascal = value.ToString();
        var text = new System.Text.StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]) && (char.IsLower(pascal[i - 1]) || (i + 1 < pascal.Length && char.IsLower(pascal[i + 1]))))
                text.Append('_');
            text.Append(char.ToUpperInvariant(pascal[i]));
        }
        return text.ToString();
    }
}
