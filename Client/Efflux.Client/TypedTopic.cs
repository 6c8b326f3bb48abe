using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Efflux.Client;

/// <summary>A message read from a typed topic with its value.</summary>
public readonly record struct Received<T>(EffluxMessage Message, T Value);

/// <summary>A topic of JSON documents of <typeparamref name="T"/>: DataType is the type's name, ContentType application/json.</summary>
public sealed class Topic<T>
{
    private readonly JsonSerializerOptions _json;

    internal Topic(TopicClient topic, JsonSerializerOptions? json)
    {
        Untyped = topic;
        _json = json ?? JsonSerializerOptions.Web;
    }

    /// <summary>The underlying topic.</summary>
    public TopicClient Untyped { get; }

    /// <summary>The DataType written with each value.</summary>
    public string DataType => typeof(T).Name;

    /// <summary>Appends one value.</summary>
    public Task<ProduceResult> AppendAsync(T value, string? id = null, string? messageGroup = null, Dictionary<string, string>? properties = null, ProduceOptions? options = null)
        => Untyped.AppendAsync(ToMessage(value, id, messageGroup, properties), options);

    /// <summary>The message that carries <paramref name="value"/> (for batches and producers).</summary>
    public ProduceMessage ToMessage(T value, string? id = null, string? messageGroup = null, Dictionary<string, string>? properties = null) => new()
    {
        Payload = JsonSerializer.SerializeToUtf8Bytes(value, _json),
        ContentType = "application/json",
        DataType = DataType,
        Id = id,
        MessageGroup = messageGroup,
        Properties = properties,
    };

    /// <summary>Reads values like <see cref="TopicClient.ReadAsync"/>; a payload that is not a <typeparamref name="T"/> fails with <see cref="EffluxError.InvalidRequest"/>.</summary>
    public async IAsyncEnumerable<Received<T>> ReadAsync(int partition, long fromOffset = -1, bool follow = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var message in Untyped.ReadAsync(partition, fromOffset, follow, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return new Received<T>(message, Deserialize(message));
        }
    }

    private T Deserialize(EffluxMessage message)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(message.Payload, _json)!;
        }
        catch (JsonException ex)
        {
            throw new EffluxException(EffluxError.InvalidRequest, $"Message {message.Partition}/{message.Offset} is not a JSON {typeof(T).Name}: {ex.Message}");
        }
    }
}
