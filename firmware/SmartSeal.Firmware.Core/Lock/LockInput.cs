using SmartSeal.Firmware.Gnss;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Tokens;

namespace SmartSeal.Firmware.Lock
{
    public enum LockInputKind
    {
        ButtonPressed = 0,
        BeforePhotoTaken = 1,
        PhotoFailed = 2,
        Verdict = 3,
        StampPressed = 4,
        Tick = 5,
        TamperChanged = 6,
        DesiredState = 7,
        TokenLoaded = 8,
        TokenRevoked = 9,

        /// <summary>A believable fix was accepted (Fix holds it): geofence supervision.</summary>
        FixAccepted = 10,

        /// <summary>A battery reading (BatteryPercent).</summary>
        Battery = 11,

        /// <summary>The seal tag reader saw a different tag (SealTag).</summary>
        SealTagChanged = 12,
    }

    /// <summary>One thing that happened to the lock, with the context the decision needs.</summary>
    public class LockInput
    {
        public LockInputKind Kind;

        /// <summary>Unix ms from the clock, 0 when the clock is not set.</summary>
        public long NowMs;

        public long UptimeMs;

        /// <summary>The latest believable fix and when it was accepted (uptime); null when none.</summary>
        public GnssFix Fix;

        public long FixUptimeMs;

        /// <summary>Whether the cloud link is up (decides between waiting for a verdict and the offline allowance).</summary>
        public bool Online;

        /// <summary>Whether the outbox can still record a critical event (no stamp without a record).</summary>
        public bool CanRecord;

        public string AttemptId;

        /// <summary>TokenRevoked: the jti to revoke.</summary>
        public string TokenId;

        public string PhotoId;

        public DocumentVerdictKind Verdict;

        public string DocumentId;

        public int Page;

        public bool Active;

        public bool Enabled;

        public long Version;

        public UseToken Token;

        public string TokenJws;

        public string Detail;

        public int BatteryPercent;

        /// <summary>Whether the lock has a seal tag reader; then <see cref="SealTag"/> is its current reading.</summary>
        public bool HasTagReader;

        public string SealTag;

        public static LockInput Of(LockInputKind kind, long nowMs, long uptimeMs)
        {
            LockInput input = new LockInput();
            input.Kind = kind;
            input.NowMs = nowMs;
            input.UptimeMs = uptimeMs;
            input.CanRecord = true;
            return input;
        }
    }
}
