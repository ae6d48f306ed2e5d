using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>
    /// An edge gate's decision that a person at its cabinet is who the templates say (signed with
    /// the gate's device key, like every device event). Scores are integers in ten-thousandths
    /// (ADR 0001: integers only on the wire). The cloud matches the subject to an approved,
    /// uncollected application for a seal in that cabinet before anything opens.
    /// </summary>
    public class FaceMatchBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "subject", "cabinet", "score", "margin", "live", "frames", "photo", "templates" };

        /// <summary>"subject": the person's user id (login) the matched templates belong to.</summary>
        public string Subject;

        /// <summary>"cabinet": the cabinet device the gate stands at.</summary>
        public string CabinetId;

        /// <summary>"score": cosine similarity × 10000 of the best frame (−10000..10000).</summary>
        public int Score;

        /// <summary>"margin": top-1 minus top-2 cosine × 10000 (0..20000).</summary>
        public int Margin;

        /// <summary>"live": mean liveness probability × 10000 over the decision's frames (0..10000).</summary>
        public int Liveness;

        /// <summary>"frames": frames the decision combined.</summary>
        public int Frames;

        /// <summary>"photo" (optional): the capture photo sent for the ledger.</summary>
        public string PhotoId;

        /// <summary>"templates" (optional): the template/recipe version the gate matched with.</summary>
        public string TemplateVersion;

        public override string Type
        {
            get { return MessageTypes.FaceMatch; }
        }

        protected override string[] Fields
        {
            get { return FieldNames; }
        }

        protected override long RequiredMask
        {
            get { return 63; }
        }

        protected override void WriteFields(JsonWriter writer)
        {
            writer.Property("subject", Subject);
            writer.Property("cabinet", CabinetId);
            writer.Property("score", Score);
            writer.Property("margin", Margin);
            writer.Property("live", Liveness);
            writer.Property("frames", Frames);
            if (PhotoId != null)
            {
                writer.Property("photo", PhotoId);
            }

            if (TemplateVersion != null)
            {
                writer.Property("templates", TemplateVersion);
            }
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                case 0:
                    Subject = ReadId(reader, "subject");
                    break;
                case 1:
                    CabinetId = ReadId(reader, "cabinet");
                    break;
                case 2:
                    Score = ReadInt(reader, "score", -10000, 10000);
                    break;
                case 3:
                    Margin = ReadInt(reader, "margin", 0, 20000);
                    break;
                case 4:
                    Liveness = ReadInt(reader, "live", 0, 10000);
                    break;
                case 5:
                    Frames = ReadInt(reader, "frames", 1, 1000);
                    break;
                case 6:
                    PhotoId = ReadId(reader, "photo");
                    break;
                default:
                    TemplateVersion = ReadText(reader, "templates", 32);
                    break;
            }
        }

        protected override void Clear()
        {
            Subject = null;
            CabinetId = null;
            Score = 0;
            Margin = 0;
            Liveness = 0;
            Frames = 0;
            PhotoId = null;
            TemplateVersion = null;
        }
    }
}
