namespace Efflux.Grains.Queries;

/// <summary>The Properties keys a live query's output records carry.</summary>
public static class Provenance
{
    /// <summary><c>{ns}/{name}</c> of the query.</summary>
    public const string Query = "efflux.query";

    /// <summary>The source topic of the event whose arrival emitted the row.</summary>
    public const string Topic = "efflux.source.topic";

    /// <summary>Its partition.</summary>
    public const string Partition = "efflux.source.partition";

    /// <summary>The first record of that partition taken since the operator's previous row from it.</summary>
    public const string FromOffset = "efflux.source.fromOffset";

    /// <summary>The record whose arrival emitted the row.</summary>
    public const string ToOffset = "efflux.source.toOffset";

    /// <summary>The fingerprint (hex) of the record at <see cref="ToOffset"/>.</summary>
    public const string Fingerprint = "efflux.source.fingerprint";

    /// <summary>The creation of the query that wrote the row.</summary>
    public const string Generation = "efflux.query.generation";

    /// <summary>The operator shard that wrote the row.</summary>
    public const string Shard = "efflux.query.shard";

    /// <summary>The row's number within its shard, from 1.</summary>
    public const string Row = "efflux.query.row";
}
