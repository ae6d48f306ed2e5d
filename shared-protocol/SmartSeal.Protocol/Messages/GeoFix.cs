using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>
    /// A GNSS fix on the wire, integers only: time (Unix ms), position (1e-7 degrees), horizontal
    /// accuracy, altitude (cm), speed (cm/s), course (centi-degrees), satellites, quality (0 no fix,
    /// 1 GNSS, 2 DGNSS, 4 RTK fixed, 5 RTK float, 6 dead reckoning).
    /// </summary>
    public class GeoFix
    {
        private static readonly string[] Fields = new string[] { "t", "lat", "lon", "acc", "alt", "spd", "crs", "sats", "q" };

        public long TimeMs;
        public int LatE7;
        public int LonE7;
        public int AccuracyCm;
        public int AltitudeCm;
        public int SpeedCmS;
        public int CourseCdeg;
        public int Satellites;
        public int Quality;

        public void Write(JsonWriter writer)
        {
            writer.BeginObject();
            writer.Property("t", TimeMs);
            writer.Property("lat", LatE7);
            writer.Property("lon", LonE7);
            writer.Property("acc", AccuracyCm);
            writer.Property("alt", AltitudeCm);
            writer.Property("spd", SpeedCmS);
            writer.Property("crs", CourseCdeg);
            writer.Property("sats", Satellites);
            writer.Property("q", Quality);
            writer.EndObject();
        }

        public static GeoFix Read(JsonReader reader, string field)
        {
            GeoFix fix = new GeoFix();
            reader.ReadExpected(JsonTokenType.StartObject);
            int seen = 0;
            while (reader.ReadPropertyOrEnd())
            {
                int index = -1;
                for (int i = 0; i < Fields.Length; i++)
                {
                    if (reader.ValueEquals(Fields[i]))
                    {
                        index = i;
                        break;
                    }
                }

                if (index < 0)
                {
                    reader.Skip();
                    continue;
                }

                if ((seen & (1 << index)) != 0)
                {
                    throw new ProtocolException(ProtocolError.JsonDuplicateProperty, "duplicate field " + field + "." + Fields[index]);
                }

                seen |= 1 << index;
                reader.ReadExpected(JsonTokenType.Number);
                long value = reader.GetInt64();
                switch (index)
                {
                    case 0:
                        fix.TimeMs = Range(value, 0, 253402300799999, field, "t");
                        break;
                    case 1:
                        fix.LatE7 = (int)Range(value, -900000000, 900000000, field, "lat");
                        break;
                    case 2:
                        fix.LonE7 = (int)Range(value, -1800000000, 1800000000, field, "lon");
                        break;
                    case 3:
                        fix.AccuracyCm = (int)Range(value, 0, 100000000, field, "acc");
                        break;
                    case 4:
                        fix.AltitudeCm = (int)Range(value, -100000000, 100000000, field, "alt");
                        break;
                    case 5:
                        fix.SpeedCmS = (int)Range(value, 0, 100000000, field, "spd");
                        break;
                    case 6:
                        fix.CourseCdeg = (int)Range(value, 0, 35999, field, "crs");
                        break;
                    case 7:
                        fix.Satellites = (int)Range(value, 0, 255, field, "sats");
                        break;
                    default:
                        fix.Quality = (int)Range(value, 0, 9, field, "q");
                        break;
                }
            }

            if ((seen & 15) != 15)
            {
                throw new ProtocolException(ProtocolError.MessageMissingField, "missing field " + field + ".t/lat/lon/acc");
            }

            return fix;
        }

        private static long Range(long value, long min, long max, string field, string name)
        {
            if (value < min || value > max)
            {
                throw new ProtocolException(ProtocolError.MessageBadField, field + "." + name + " out of range");
            }

            return value;
        }
    }
}
