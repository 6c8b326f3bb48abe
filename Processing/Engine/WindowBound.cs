namespace Efflux.Processing.Engine;

/// <summary>The window bounds an aggregate row can name: window_start and window_end.</summary>
public enum WindowBound
{
    /// <summary>An ordinary attribute.</summary>
    None,

    /// <summary>window_start.</summary>
    Start,

    /// <summary>window_end.</summary>
    End,
}
