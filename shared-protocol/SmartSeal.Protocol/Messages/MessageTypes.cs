using SmartSeal.Protocol.Topics;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>
    /// Every message type of protocol v1 and the topic it travels on. A receiver refuses a type
    /// that arrives on any other topic (<see cref="ProtocolError.EnvelopeWrongDirection"/>), so an
    /// event can never be replayed as a command or the other way round.
    /// </summary>
    public static class MessageTypes
    {
        // Device -> cloud events ("evt").
        public const string Boot = "boot";
        public const string StateApplied = "state-applied";
        public const string Dispensed = "dispensed";
        public const string Returned = "returned";
        public const string WrongSeal = "wrong-seal";
        public const string SealRemoved = "seal-removed";
        public const string Door = "door";
        public const string Tamper = "tamper";
        public const string Unlocked = "unlocked";
        public const string Stamped = "stamped";
        public const string Relocked = "relocked";
        public const string Refused = "refused";
        public const string TokenLoaded = "token-loaded";
        public const string Alarm = "alarm";
        public const string FaceMatch = "face-match";
        public const string TagReport = "tag-report";

        // Device -> cloud telemetry ("tele").
        public const string Position = "position";
        public const string Battery = "battery";

        // Device -> cloud presence ("status", retained; the offline form is the last will).
        public const string Status = "status";

        // Device -> cloud command results ("res").
        public const string CommandResult = "cmd-result";

        // Device -> cloud photos ("photo").
        public const string PhotoManifest = "photo-manifest";
        public const string PhotoChunk = "photo-chunk";

        // Cloud -> device commands ("cmd").
        public const string Dispense = "dispense";
        public const string AcceptReturn = "accept-return";
        public const string LoadToken = "load-token";
        public const string RevokeToken = "revoke-token";
        public const string SetState = "set-state";
        public const string DocumentVerdict = "doc-verdict";
        public const string LocateNow = "locate";
        public const string SetConfig = "set-config";
        public const string ReportTags = "report-tags";

        // Cloud -> device retained desired state ("desired").
        public const string DesiredState = "desired-state";

        // Cloud -> device acknowledgements ("ack").
        public const string Ack = "ack";

        /// <summary>The topic a type must travel on; <see cref="TopicKind.Unknown"/> for unknown types.</summary>
        public static TopicKind TopicOf(string type)
        {
            switch (type)
            {
                case Boot:
                case StateApplied:
                case Dispensed:
                case Returned:
                case WrongSeal:
                case SealRemoved:
                case Door:
                case Tamper:
                case Unlocked:
                case Stamped:
                case Relocked:
                case Refused:
                case TokenLoaded:
                case Alarm:
                case FaceMatch:
                case TagReport:
                    return TopicKind.Events;
                case Position:
                case Battery:
                    return TopicKind.Telemetry;
                case Status:
                    return TopicKind.Status;
                case CommandResult:
                    return TopicKind.CommandResults;
                case PhotoManifest:
                case PhotoChunk:
                    return TopicKind.Photos;
                case Dispense:
                case AcceptReturn:
                case LoadToken:
                case RevokeToken:
                case SetState:
                case DocumentVerdict:
                case LocateNow:
                case SetConfig:
                case ReportTags:
                    return TopicKind.Commands;
                case DesiredState:
                    return TopicKind.DesiredState;
                case Ack:
                    return TopicKind.Acks;
                default:
                    return TopicKind.Unknown;
            }
        }

        /// <summary>
        /// Checks that a decoded envelope's type is known and belongs on the topic it arrived on.
        /// </summary>
        public static ProtocolError CheckArrival(string type, TopicKind arrivedOn)
        {
            TopicKind expected = TopicOf(type);
            if (expected == TopicKind.Unknown)
            {
                return ProtocolError.EnvelopeUnknownType;
            }

            return expected == arrivedOn ? ProtocolError.None : ProtocolError.EnvelopeWrongDirection;
        }
    }
}
