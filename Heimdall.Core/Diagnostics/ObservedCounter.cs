namespace Heimdall.Core.Diagnostics;

/// <summary>
/// A counter without tags published as an observable counter on Heimdall's meter: it is exported (at 0) from the
/// first scrape, so <c>rate()</c> and <c>increase()</c> see its first event, and no increment made before the
/// exporter subscribed is lost.
/// </summary>
internal sealed class ObservedCounter
{
    private long _value;

    public ObservedCounter(string name, string description) =>
        HeimdallDiagnostics.Meter.CreateObservableCounter(name, () => Volatile.Read(ref _value), description: description);

    /// <summary>The count so far.</summary>
    public long Value => Volatile.Read(ref _value);

    /// <summary>Adds <paramref name="delta"/>.</summary>
    public void Add(long delta) => Interlocked.Add(ref _value, delta);
}
