namespace Efflux.Runtime;

/// <summary>Marks a grain interface. Every method returns <see cref="Task"/>, <see cref="Task{TResult}"/>,
/// <see cref="ValueTask"/> or <see cref="ValueTask{TResult}"/>; the code generator rejects anything else.</summary>
#pragma warning disable CA1040 // A marker interface: the code generator and GetGrain constraints key off it.
public interface IGrain
{
}
#pragma warning restore CA1040
