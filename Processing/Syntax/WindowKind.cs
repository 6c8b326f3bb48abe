namespace Efflux.Processing.Syntax;

/// <summary>The nine window types.</summary>
public enum WindowKind
{
    /// <summary>TUMBLING(d).</summary>
    Tumbling,

    /// <summary>SLIDING(size, slide).</summary>
    Sliding,

    /// <summary>SESSION(gap).</summary>
    Session,

    /// <summary>TIME(d).</summary>
    Time,

    /// <summary>EXTERNALTIME(attr, d).</summary>
    ExternalTime,

    /// <summary>TIMEBATCH(d).</summary>
    TimeBatch,

    /// <summary>LENGTH(n).</summary>
    Length,

    /// <summary>LENGTHBATCH(n).</summary>
    LengthBatch,

    /// <summary>DELAY(d).</summary>
    Delay,
}
