using Microsoft.Extensions.Logging;

namespace Efflux.Runtime;

/// <summary>The runtime's log messages (source-generated): lifecycle at Information, failures at Warning and Error.</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Activating {GrainId} ({GrainClass}) failed")]
    public static partial void ActivationFailed(this ILogger logger, Exception exception, GrainId grainId, string grainClass);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "OnDeactivateAsync of {GrainId} failed or timed out")]
    public static partial void DeactivationFailed(this ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Deactivated {GrainId} ({Reason})")]
    public static partial void Deactivated(this ILogger logger, GrainId grainId, DeactivationReasonCode reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "A timer of {GrainId} failed")]
    public static partial void TimerFailed(this ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "One-way call {Method} to {GrainId} failed")]
    public static partial void OneWayFailed(this ILogger logger, Exception exception, string method, GrainId grainId);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Silo stopping: deactivating {Count} activations")]
    public static partial void Stopping(this ILogger logger, int count);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "{GrainId} still had a running turn at the deactivation timeout: deactivating it anyway")]
    public static partial void Abandoned(this ILogger logger, GrainId grainId);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Connection to {Peer} failed")]
    public static partial void ConnectionFailed(this ILogger logger, Exception exception, string peer);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "A response to {Peer} was lost: the connection closed")]
    public static partial void ResponseLost(this ILogger logger, Exception exception, string peer);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Reading the membership table failed")]
    public static partial void MembershipRefreshFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 12, Level = LogLevel.Critical, Message = "This silo {Silo} was declared dead by its peers: stopping")]
    public static partial void DeclaredDead(this ILogger logger, Membership.SiloAddress silo);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Declared silo {Silo} dead: no heartbeat for {Silence}")]
    public static partial void PeerDeclaredDead(this ILogger logger, Membership.SiloAddress silo, TimeSpan silence);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Silo stopped")]
    public static partial void Stopped(this ILogger logger);
}
