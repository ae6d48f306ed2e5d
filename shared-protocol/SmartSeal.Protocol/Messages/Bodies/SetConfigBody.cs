using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>Change operating parameters (absent = unchanged; 0 = unchanged).</summary>
    public class SetConfigBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "reportMovingS", "reportIdleS", "relockS", "doorAlarmS", "verdictTimeoutS" };

        /// <summary>"reportMovingS" (optional).</summary>
        public int ReportMovingSeconds;

        /// <summary>"reportIdleS" (optional).</summary>
        public int ReportIdleSeconds;

        /// <summary>"relockS" (optional).</summary>
        public int RelockSeconds;

        /// <summary>"doorAlarmS" (optional).</summary>
        public int DoorAlarmSeconds;

        /// <summary>"verdictTimeoutS" (optional).</summary>
        public int VerdictTimeoutSeconds;

        public override string Type
        {
            get { return MessageTypes.SetConfig; }
        }

        protected override string[] Fields
        {
            get { return FieldNames; }
        }

        protected override long RequiredMask
        {
            get { return 0; }
        }

        protected override void WriteFields(JsonWriter writer)
        {
            if (ReportMovingSeconds != 0)
            {
                writer.Property("reportMovingS", ReportMovingSeconds);
            }

            if (ReportIdleSeconds != 0)
            {
                writer.Property("reportIdleS", ReportIdleSeconds);
            }

            if (RelockSeconds != 0)
            {
                writer.Property("relockS", RelockSeconds);
            }

            if (DoorAlarmSeconds != 0)
            {
                writer.Property("doorAlarmS", DoorAlarmSeconds);
            }

            if (VerdictTimeoutSeconds != 0)
            {
                writer.Property("verdictTimeoutS", VerdictTimeoutSeconds);
            }
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                case 0:
                    ReportMovingSeconds = ReadInt(reader, "reportMovingS", 0, 86400);
                    break;
                case 1:
                    ReportIdleSeconds = ReadInt(reader, "reportIdleS", 0, 86400);
                    break;
                case 2:
                    RelockSeconds = ReadInt(reader, "relockS", 0, 600);
                    break;
                case 3:
                    DoorAlarmSeconds = ReadInt(reader, "doorAlarmS", 0, 3600);
                    break;
                default:
                    VerdictTimeoutSeconds = ReadInt(reader, "verdictTimeoutS", 0, 600);
                    break;
            }
        }

        protected override void Clear()
        {
            ReportMovingSeconds = 0;
            ReportIdleSeconds = 0;
            RelockSeconds = 0;
            DoorAlarmSeconds = 0;
            VerdictTimeoutSeconds = 0;
        }
    }
}
