using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Efflux.Grains.Security;

/// <summary>
/// The API keys a silo accepts: those in configuration and those in the key file, which is read again when it changes
/// (looked at no more than once a second), so that <c>efflux keys revoke</c> takes effect without a restart.
/// </summary>
public sealed partial class KeyRing(IOptions<AuthOptions> options, TimeProvider time, ILogger<KeyRing> log)
{
    private readonly Lock _lock = new();
    private Dictionary<string, ApiKeyEntry> _keys = [];
    private (DateTime Written, long Length)? _file;
    private long _lookedAt = long.MinValue;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (Dictionary<string, ApiKeyEntry> Keys, Caller Caller)> _verified = new(StringComparer.Ordinal);

    /// <summary>The caller a key stands for, or null when the silo does not know the key.</summary>
    public Caller? Authenticate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (ApiKeys.IdOf(key) is not { } id)
        {
            return null;
        }

        var keys = Current();
        if (_verified.TryGetValue(key, out var known) && ReferenceEquals(known.Keys, keys))
        {
            return known.Caller;
        }

        if (!keys.TryGetValue(id, out var entry) || !ApiKeys.Matches(entry, key))
        {
            return null;
        }

        // Remembered until the keys change: each later call with this key costs a lookup, not a hash and a parse.
        var caller = new Caller("key:" + id, entry.ParseGrants());
        _verified[key] = (keys, caller);
        return caller;
    }

    private Dictionary<string, ApiKeyEntry> Current()
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            if (_lookedAt != long.MinValue && time.GetElapsedTime(_lookedAt, now) < TimeSpan.FromSeconds(1))
            {
                return _keys;
            }

            _lookedAt = now;
            var path = options.Value.KeyFile;
            var info = string.IsNullOrWhiteSpace(path) ? null : new FileInfo(path);
            (DateTime, long)? stamp = info is { Exists: true } ? (info.LastWriteTimeUtc, info.Length) : null;
            if (_keys.Count > 0 && stamp == _file)
            {
                return _keys;
            }

            var keys = options.Value.Keys.ToDictionary(k => k.Id, StringComparer.Ordinal);
            try
            {
                foreach (var entry in path is null ? [] : KeyFile.Load(path))
                {
                    keys[entry.Id] = entry;
                }

                _file = stamp;
            }
            catch (Exception ex) when (ex is EffluxException or IOException or UnauthorizedAccessException)
            {
                // A key file caught half-written or unreadable: keep the keys known so far and look again next time.
                LogUnreadable(log, ex, path);
                return _keys.Count > 0 ? _keys : keys;
            }

            LogLoaded(log, keys.Count);
            _verified.Clear();
            _keys = keys;
            return keys;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "API keys loaded: {Count}")]
    private static partial void LogLoaded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The key file {Path} could not be read; the keys read before stay in use")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string? path);
}
