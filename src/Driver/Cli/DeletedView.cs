namespace Loam.Driver.Cli;

/// <summary>What a delete or unmount verb reports: the ID or path it removed.</summary>
public sealed record DeletedView(string Deleted);
