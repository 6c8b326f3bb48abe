using Efflux.Processing.Parsing;

namespace Efflux.Processing.Syntax;

/// <summary>A stream in FROM or JOIN, with its alias and window.</summary>
/// <param name="Name">The stream (topic) name.</param>
/// <param name="Alias">The alias, or null.</param>
/// <param name="Window">The window, or null.</param>
/// <param name="Position">Where it stands.</param>
public sealed record StreamSource(string Name, string? Alias, WindowSpec? Window, SourcePosition Position)
{
    /// <summary>The name attributes are qualified with: the alias when there is one.</summary>
    public string ReferenceName => Alias ?? Name;
}
