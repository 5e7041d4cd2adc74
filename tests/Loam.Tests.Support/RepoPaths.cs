namespace Loam.Tests.Support;

/// <summary>Where the repository and the driver build this test run uses live.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration the tests were built in (Debug or Release); the driver is built alongside.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Split('/').Reverse().Skip(2).FirstOrDefault() is "Release" ? "Release" : "Debug";

    /// <summary>
    /// How to run `loam`: the executable named by LOAM_BINARY (e.g. the NativeAOT build), else
    /// the framework-dependent build of src/Driver through `dotnet`.
    /// </summary>
    public static (string File, string[] Prefix) Driver()
    {
        if (Environment.GetEnvironmentVariable("LOAM_BINARY") is { Length: > 0 } binary)
            return (binary, []);
        var dll = Path.Combine(Root, "src", "Driver", "bin", Configuration, "net10.0", "loam.dll");
        if (!File.Exists(dll))
            throw new FileNotFoundException($"driver build not found at {dll}; build the solution first");
        return ("dotnet", [dll]);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CsiDriver.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("CsiDriver.sln not found above " + AppContext.BaseDirectory);
    }
}
