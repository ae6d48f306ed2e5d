namespace SmartSeal.Simulators.Gnss;

/// <summary>The world's side of a GNSS receiver: the bytes its UART would have delivered by now.</summary>
public interface IGnssSource
{
    /// <summary>Hands the cycles due at <paramref name="worldMs"/> (the scenario or host clock) that were not handed out yet.</summary>
    void ReadDue(long worldMs, Action<byte[]> sink);
}
