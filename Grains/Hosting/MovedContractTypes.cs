using Orleans.Serialization;

namespace Efflux.Grains.Hosting;

/// <summary>
/// Reads the type names that grain state written before the contracts moved from namespace <c>Efflux.Grains</c> to
/// <c>Efflux</c> carries (Orleans' JSON grain-state serializer stores every object's type name), so that a data
/// directory or blob container written by an earlier version keeps loading: <c>Efflux.Grains.TopicConfig</c> of
/// Efflux.Grains.Interfaces is read as <see cref="TopicConfig"/>. Names are only read, never written.
/// </summary>
internal sealed class MovedContractTypes : ITypeConverter
{
    private const string ContractsAssembly = "Efflux.Grains.Interfaces";

    private static readonly Dictionary<string, Type> ByOldName = typeof(TopicConfig).Assembly.GetExportedTypes()
        .Where(t => t.Namespace == "Efflux" && !t.IsNested)
        .ToDictionary(t => "Efflux.Grains." + t.Name, StringComparer.Ordinal);

    /// <inheritdoc/>
    public bool TryFormat(Type type, out string formatted)
    {
        formatted = "";
        return false;
    }

    /// <inheritdoc/>
    public bool TryParse(string formatted, out Type type)
    {
        var comma = formatted.IndexOf(',', StringComparison.Ordinal);
        if (comma > 0 && formatted[(comma + 1)..].Trim().Equals(ContractsAssembly, StringComparison.Ordinal)
            && ByOldName.TryGetValue(formatted[..comma].Trim(), out var moved))
        {
            type = moved;
            return true;
        }

        type = typeof(void);
        return false;
    }
}
