using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Google.Protobuf;
using Loam.Storage;
using Microsoft.Extensions.Logging;

namespace Loam.Csi;

/// <summary>
/// Wraps every CSI call: maps storage errors through <see cref="ErrorMap"/>, turns any other
/// exception into INTERNAL (logged with its stack, never leaked), logs method, code and
/// duration, and reports each call to <see cref="ICallObserver"/> for metrics.
/// </summary>
public sealed class CsiCallInterceptor(ILogger<CsiCallInterceptor> logger, ICallObserver observer) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var started = Stopwatch.GetTimestamp();
        LogRequest(context.Method, request);
        try
        {
            var response = await continuation(request, context);
            Completed(context.Method, StatusCode.OK, started, null);
            return response;
        }
        catch (Exception e)
        {
            throw Failed(context.Method, e, started);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var started = Stopwatch.GetTimestamp();
        LogRequest(context.Method, request);
        try
        {
            await continuation(request, responseStream, context);
            Completed(context.Method, StatusCode.OK, started, null);
        }
        catch (Exception e)
        {
            throw Failed(context.Method, e, started);
        }
    }

    private RpcException Failed(string method, Exception e, long started)
    {
        var rpc = e switch
        {
            RpcException r => r,
            StorageException s => ErrorMap.ToRpcException(s),
            OperationCanceledException => new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled")),
            _ => null,
        };
        if (rpc is null)
        {
            CsiLog.CallCrashed(logger, e, method, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            rpc = new RpcException(new Status(StatusCode.Internal, $"{method} failed: {e.Message}"));
        }
        rpc = ErrorMap.Bounded(rpc);
        Completed(method, rpc.StatusCode, started, rpc.Status.Detail);
        return rpc;
    }

    private void Completed(string method, StatusCode code, long started, string? detail)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        observer.CallCompleted(method, code, elapsed);
        if (detail is null)
            CsiLog.CallCompleted(logger, method, code.ToString(), elapsed.TotalMilliseconds);
        else
            CsiLog.CallFailed(logger, method, code.ToString(), elapsed.TotalMilliseconds, detail);
    }

    private void LogRequest<TRequest>(string method, TRequest request)
    {
        if (logger.IsEnabled(LogLevel.Debug) && request is IMessage message)
            CsiLog.CallRequest(logger, method, SecretRedactor.Redact(message));
    }
}
