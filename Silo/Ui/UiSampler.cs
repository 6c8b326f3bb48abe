using System.ComponentModel.DataAnnotations;
using Efflux.Grains;
using Microsoft.Extensions.Options;

namespace Efflux.Silo.Ui;

/// <summary>
/// Samples the cluster for the /ui pages: silos, topics (offsets, bytes, records read), consumer groups and live
/// queries, every <see cref="UiSettings.SampleInterval"/>, keeping <see cref="UiSettings.History"/> of them for the
/// charts. It samples only while someone looks: the loop starts at the first page request and stops once no page has
/// asked for <see cref="UiSettings.IdleStop"/>, so a silo nobody watches pays nothing.
/// </summary>
internal sealed partial class UiSampler(IGrainFactory grains, ILocalSiloDetails self, IOptions<UiSettings> settings, TimeProvider time, ILogger<UiSampler> log) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<UiSample> _history = [];
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _lastAsked;
    private bool _running;

    /// <summary>The samples of the last <see cref="UiSettings.History"/>, oldest first (at least one: waits for the first).</summary>
    public async Task<IReadOnlyList<UiSample>> HistoryAsync(CancellationToken cancellationToken)
    {
        Task first;
        lock (_gate)
        {
            _lastAsked = time.GetUtcNow();
            if (!_running)
            {
                _running = true;
                _ = Task.Run(LoopAsync, CancellationToken.None);
            }

            first = _first.Task;
        }

        await first.WaitAsync(cancellationToken);
        lock (_gate)
        {
            return [.. _history];
        }
    }

    // The token source is cancelled, not disposed: a loop still between two samples reads it after this.
    public void Dispose() => _stopping.Cancel();

    private async Task LoopAsync()
    {
        var interval = settings.Value.SampleInterval;
        var keep = Math.Max(2, (int)(settings.Value.History / interval) + 1);
        LogStarted(log, interval);
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                var sample = await SampleAsync();
                lock (_gate)
                {
                    _history.Add(sample);
                    if (_history.Count > keep)
                    {
                        _history.RemoveRange(0, _history.Count - keep);
                    }

                    _first.TrySetResult();
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogSampleFailed(log, ex);
                lock (_gate)
                {
                    if (_history.Count == 0)
                    {
                        // Pages waiting for a first sample get this failure (a problem document); later ones wait for
                        // the next attempt.
                        _first.TrySetException(ex);
                        _first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                }
            }

            lock (_gate)
            {
                if (time.GetUtcNow() - _lastAsked > settings.Value.IdleStop || _stopping.IsCancellationRequested)
                {
                    // Nobody looks: stop, and forget the history (it would show a gap as a flat line).
                    _running = false;
                    _history.Clear();
                    _first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    LogStopped(log);
                    return;
                }
            }

            try
            {
                await Task.Delay(interval, time, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<UiSample> SampleAsync()
    {
        var now = time.GetUtcNow();
        var management = grains.GetGrain<IManagementGrain>(0);
        var hostsTask = management.GetDetailedHosts(onlyActive: false);
        var namespaces = await grains.GetGrain<INamespaceCatalogGrain>(INamespaceCatalogGrain.Key).ListAsync();
        var topics = new List<UiTopic>();
        var queries = new List<QueryInfo>();
        foreach (var ns in namespaces)
        {
            foreach (var topic in await grains.GetGrain<INamespaceGrain>(ns).ListAsync())
            {
                if (await TopicAsync(ns, topic) is { } sampled)
                {
                    topics.Add(sampled);
                }
            }

            var names = await grains.GetGrain<IQueryCatalogGrain>(ns).ListAsync();
            queries.AddRange(await Task.WhenAll(names.Select(n => grains.GetGrain<IQueryGrain>(ns + "/" + n).DescribeAsync())));
        }

        var silos = (await hostsTask)
            .OrderBy(h => h.SiloName, StringComparer.Ordinal)
            .Select(h => new UiSilo(h.SiloName, h.SiloAddress.Endpoint.ToString(), h.Status.ToString(), h.IAmAliveTime, h.SiloAddress.Equals(self.SiloAddress)))
            .ToList();
        return new UiSample(now, silos, topics, queries);
    }

    /// <summary>A topic and its groups; null (and a warning) when it cannot be described now, e.g. a partition's silo is down.</summary>
    private async Task<UiTopic?> TopicAsync(string ns, string topic)
    {
        try
        {
            return await UiTopics.DescribeAsync(grains, ns, topic);
        }
        catch (EffluxException ex)
        {
            LogTopicSkipped(log, ns, topic, ex.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "UI sampling started, every {Interval}")]
    private static partial void LogStarted(ILogger logger, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Information, Message = "UI sampling stopped: no page asked for a while")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "UI sample failed")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "UI sample left out topic {Namespace}/{Topic}: {Reason}")]
    private static partial void LogTopicSkipped(ILogger logger, string @namespace, string topic, string reason);
}

/// <summary><c>Efflux:Ui</c>: the /ui pages.</summary>
internal sealed class UiSettings
{
    /// <summary>Serve the pages at /ui (and redirect / there).</summary>
    /// <value>Default true.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the pages' data is sampled while someone looks.</summary>
    /// <value>Default 2 s; 100 ms to 1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00", ErrorMessage = "Efflux:Ui:SampleInterval must be 100 ms to 1 minute.")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How far back the charts go.</summary>
    /// <value>Default 10 minutes; 1 minute to 1 day.</value>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Efflux:Ui:History must be 1 minute to 1 day.")]
    public TimeSpan History { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Sampling stops when no page has asked for this long.</summary>
    /// <value>Default 2 minutes; 10 seconds to 1 day.</value>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00", ErrorMessage = "Efflux:Ui:IdleStop must be 10 seconds to 1 day.")]
    public TimeSpan IdleStop { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>Describes a topic with its consumer groups (the sampler and the topic page share it).</summary>
internal static class UiTopics
{
    public static async Task<UiTopic> DescribeAsync(IGrainFactory grains, string ns, string topic)
    {
        var info = await grains.GetGrain<ITopicGrain>(GrainKeys.Topic(ns, topic)).DescribeAsync();
        return new UiTopic(info, await Api.GroupEndpoints.DescribeAllAsync(grains, ns, topic));
    }
}
