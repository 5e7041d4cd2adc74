using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Loam.Csi;

/// <summary>
/// Renders a request for the log with every field the contract marks <c>csi_secret</c>
/// (and every nested one) replaced, so that secrets never reach a log line. Mount flags
/// are masked too: the contract warns they may carry sensitive values (credentials in
/// options of network filesystems, for instance).
/// </summary>
public static class SecretRedactor
{
    public const string Mask = "***stripped***";

    public static string Redact(IMessage message)
    {
        var copy = message.Descriptor.Parser.ParseFrom(message.ToByteString());
        Strip(copy);
        return copy.ToString() ?? "";
    }

    public static bool IsSecret(FieldDescriptor field) =>
        (field.GetOptions()?.GetExtension(global::Csi.V1.CsiExtensions.CsiSecret) ?? false)
        || field.FullName == global::Csi.V1.VolumeCapability.Types.MountVolume.Descriptor.FullName + ".mount_flags";

    private static void Strip(IMessage message)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (IsSecret(field))
            {
                Mark(message, field);
                continue;
            }
            if (field.FieldType != FieldType.Message)
                continue;
            var value = field.Accessor.GetValue(message);
            switch (value)
            {
                case IMessage nested when !field.IsMap:
                    Strip(nested);
                    break;
                case System.Collections.IList list when !field.IsMap:
                    foreach (var item in list)
                    {
                        if (item is IMessage m)
                            Strip(m);
                    }
                    break;
            }
        }
    }

    // Keeps the keys (useful when debugging which secret was passed) and drops the values.
    private static void Mark(IMessage message, FieldDescriptor field)
    {
        switch (field.Accessor.GetValue(message))
        {
            case System.Collections.IDictionary map:
                foreach (var key in map.Keys.Cast<object>().ToList())
                    map[key] = Mask;
                break;
            case System.Collections.IList list:
                for (var i = 0; i < list.Count; i++)
                    list[i] = Mask;
                break;
            case string s when s.Length > 0:
                field.Accessor.SetValue(message, Mask);
                break;
            default:
                field.Accessor.Clear(message);
                break;
        }
    }
}
