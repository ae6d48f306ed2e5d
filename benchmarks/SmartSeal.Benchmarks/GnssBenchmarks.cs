using System.Text;
using BenchmarkDotNet.Attributes;
using SmartSeal.Firmware.Gnss;

namespace SmartSeal.Benchmarks;

/// <summary>Host-measured cost of the device's NMEA path: per sentence and per one-second cycle.</summary>
[MemoryDiagnoser]
public class GnssBenchmarks
{
    private static readonly byte[] Rmc = Encoding.ASCII.GetBytes("$GNRMC,074155.799,A,3114.8770,N,12135.2463,E,0.30,4.94,250215,,,A*76");
    private static readonly byte[] Cycle = Encoding.ASCII.GetBytes(
        "$GNRMC,074155.799,A,3114.8770,N,12135.2463,E,0.30,4.94,250215,,,A*76\r\n" +
        "$GNGGA,074155.799,3114.8950,N,12135.2442,E,1,07,1.1,190.7,M,8.3,M,,0000,1.8*7C\r\n" +
        "$GPGSV,3,1,10,66,37,078,27,67,62,349,26,68,20,296,25,75,04,018,*6E\r\n" +
        "$GNGSA,A,3,01,11,31,14,22,32,04,25,03,,,,1.56,0.91,1.27*15\r\n");

    private readonly NmeaParser _parser = new();
    private readonly NmeaSentence _sentence = new();
    private GnssReceiver _receiver = null!;
    private int _fixes;

    [GlobalSetup]
    public void Setup() => _receiver = new GnssReceiver(_ => _fixes++);

    [Benchmark(Description = "NmeaParser.Parse (one RMC sentence)")]
    public NmeaResult ParseRmc() => _parser.Parse(Rmc, 0, Rmc.Length, _sentence);

    [Benchmark(Description = "GnssReceiver: one cycle (RMC+GGA+GSV+GSA bytes) to a fix")]
    public int ReceiveCycle()
    {
        _receiver.Feed(Cycle, 0, Cycle.Length);
        _receiver.Flush();
        return _fixes;
    }
}
