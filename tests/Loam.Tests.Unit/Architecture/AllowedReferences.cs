namespace Loam.Tests.Unit.Architecture;

/// <summary>
/// The layout as data: for each shipped project, the only projects and packages it may reference
/// directly. README "Where things are" explains each line; a new project needs a line here.
/// </summary>
public static class AllowedReferences
{
    public const string MonoPosix = "Mono.Posix.NETStandard";
    public const string Logging = "Microsoft.Extensions.Logging.Abstractions";

    /// <summary>Project name -> (projects it may reference, packages it may reference).</summary>
    public static IReadOnlyDictionary<string, (string[] Projects, string[] Packages)> Graph { get; } =
        new Dictionary<string, (string[], string[])>
        {
            ["Loam.Shared"] = ([], []),
            ["Loam.Contract"] = ([], ["Google.Protobuf", "Grpc.Core.Api", "Grpc.Tools"]),
            ["Loam.Os"] = (["Loam.Shared"], [MonoPosix, Logging]),
            ["Loam.Storage"] = (["Loam.Shared", "Loam.Os"], [Logging]),
            ["Loam.Csi"] = (["Loam.Contract", "Loam.Storage"], ["Grpc.AspNetCore.Server"]),
            ["Loam.Controller"] = (["Loam.Csi"], []),
            ["Loam.Node"] = (["Loam.Csi"], []),
            ["Loam.Client"] = (["Loam.Contract", "Loam.Shared"], ["Grpc.Net.Client"]),
            ["Loam.Driver"] = (
                ["Loam.Controller", "Loam.Node", "Loam.Client"], ["System.CommandLine", "prometheus-net"]),
            ["Loam.Bench"] = (["Loam.Client"], ["System.CommandLine"]),
        };

    /// <summary>The only project with unsafe code, P/Invoke structs and Mono.Posix.</summary>
    public const string KernelProject = "Loam.Os";

    /// <summary>Projects that must never reach the model, the kernel or the server, even through others.</summary>
    public static IReadOnlyList<string> ClientSide { get; } =
        ["Loam.Contract", "Loam.Shared", "Loam.Client", "Loam.Bench"];

    public static IReadOnlyList<string> ServerOnly { get; } =
        ["Loam.Storage", "Loam.Os", "Loam.Csi", "Loam.Controller", "Loam.Node", "Loam.Driver"];
}
