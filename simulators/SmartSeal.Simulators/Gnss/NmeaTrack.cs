using System.Text;
using SmartSeal.Firmware.Gnss;

namespace SmartSeal.Simulators.Gnss;

/// <summary>
/// A recorded receiver output split into reporting cycles: each cycle is the bytes the receiver
/// sent for one UTC time, with its offset from the first cycle. Immutable, so one track can feed
/// thousands of simulated receivers.
/// </summary>
public sealed class NmeaTrack
{
    public NmeaTrack(IReadOnlyList<NmeaCycle> cycles)
    {
        Cycles = cycles;
    }

    public IReadOnlyList<NmeaCycle> Cycles { get; }

    public long DurationMs => Cycles.Count == 0 ? 0 : Cycles[^1].OffsetMs;

    /// <summary>Reads a capture (gpsd style: '#' lines are comments) and groups lines by the time they carry.</summary>
    public static NmeaTrack FromNmeaFile(string path) => FromNmeaLines(File.ReadAllLines(path));

    public static NmeaTrack FromNmeaLines(IEnumerable<string> lines)
    {
        var parser = new NmeaParser();
        var sentence = new NmeaSentence();
        var cycles = new List<NmeaCycle>();
        var current = new StringBuilder();
        long firstTime = -1;
        long currentTime = -1;
        long dayOffset = 0;
        long previousTime = -1;

        void Close()
        {
            if (current.Length > 0)
            {
                long offset = currentTime < 0 || firstTime < 0 ? (cycles.Count == 0 ? 0 : cycles[^1].OffsetMs) : currentTime - firstTime;
                cycles.Add(new NmeaCycle(Math.Max(offset, cycles.Count == 0 ? 0 : cycles[^1].OffsetMs), Encoding.ASCII.GetBytes(current.ToString())));
                current.Clear();
            }
        }

        foreach (string raw in lines)
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            byte[] bytes = Encoding.ASCII.GetBytes(line);
            long time = -1;
            if (parser.Parse(bytes, 0, bytes.Length, sentence) == NmeaResult.Parsed && sentence.TimeOfDayMs >= 0)
            {
                time = sentence.TimeOfDayMs;
                if (previousTime >= 0 && time + dayOffset < previousTime - 43_200_000)
                {
                    dayOffset += 86_400_000; // crossed midnight
                }

                time += dayOffset;
                previousTime = time;
            }

            // Cycles are whole seconds: receivers stamp RMC and GGA of one cycle a few ms apart.
            if (time >= 0 && currentTime >= 0 && time / 1000 != currentTime / 1000)
            {
                Close();
            }

            if (time >= 0)
            {
                if (firstTime < 0)
                {
                    firstTime = time;
                }

                if (current.Length == 0 || currentTime < 0)
                {
                    currentTime = time;
                }
            }

            current.Append(line).Append("\r\n");
        }

        Close();
        return new NmeaTrack(cycles);
    }
}

/// <summary>The bytes of one reporting cycle and when it came, relative to the track's start.</summary>
public sealed record NmeaCycle(long OffsetMs, byte[] Bytes);
