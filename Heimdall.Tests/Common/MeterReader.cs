using System.Diagnostics.Metrics;
using Heimdall.Core.Diagnostics;

namespace Heimdall.Tests.Common;

/// <summary>Reads the current value of one of Heimdall's observable instruments, as an exporter would at a scrape.</summary>
internal static class MeterReader
{
    public static long Read(string name)
    {
        long value = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == HeimdallDiagnostics.Name && instrument.Name == name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, measurement, _, _) => value += measurement);
        listener.Start();
        listener.RecordObservableInstruments();
        return value;
    }
}
