namespace Loam.Csi;

/// <summary>Which CSI services one process serves.</summary>
public enum DriverMode
{
    /// <summary>Controller and node in one process: a node-local deployment, or a single host.</summary>
    All,
    Controller,
    Node,
}

public static class DriverModeExtensions
{
    public static bool ServesController(this DriverMode mode) => mode is DriverMode.All or DriverMode.Controller;

    public static bool ServesNode(this DriverMode mode) => mode is DriverMode.All or DriverMode.Node;
}
