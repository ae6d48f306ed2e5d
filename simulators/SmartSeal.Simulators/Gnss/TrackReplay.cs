namespace SmartSeal.Simulators.Gnss;

/// <summary>Replays a recorded track in (scaled) real time from a start instant; optionally loops.</summary>
public sealed class TrackReplay : IGnssSource
{
    private readonly NmeaTrack _track;
    private readonly long _startMs;
    private readonly double _speed;
    private int _next;

    public TrackReplay(NmeaTrack track, long startMs, double speed)
    {
        _track = track;
        _startMs = startMs;
        _speed = speed <= 0 ? 1 : speed;
    }

    public bool Finished => _next >= _track.Cycles.Count;

    public void ReadDue(long worldMs, Action<byte[]> sink)
    {
        double trackMs = (worldMs - _startMs) * _speed;
        while (_next < _track.Cycles.Count && _track.Cycles[_next].OffsetMs <= trackMs)
        {
            sink(_track.Cycles[_next].Bytes);
            _next++;
        }
    }
}
