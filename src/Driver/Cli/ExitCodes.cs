using Grpc.Core;

namespace Loam.Driver.Cli;

/// <summary>
/// Exit codes of the client verbs, a contract for scripts (README "Client"): 0 success,
/// 1 an unexpected failure, 2 bad usage, 3 the path conflicts with the CLI's own mount state (already mounted, or not mounted by `loam mount`),
/// and 10 + N when the endpoint answered with gRPC status code N (15 NOT_FOUND,
/// 16 ALREADY_EXISTS, 22 UNIMPLEMENTED, 24 UNAVAILABLE: nothing listens on the socket).
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int MountState = 3;
    public const int GrpcBase = 10;

    public static int For(StatusCode code) => GrpcBase + (int)code;
}
