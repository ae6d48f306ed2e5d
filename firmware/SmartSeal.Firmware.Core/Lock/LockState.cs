using SmartSeal.Protocol.Tokens;

namespace SmartSeal.Firmware.Lock
{
    /// <summary>
    /// Everything the lock's decisions depend on. The machine never mutates a state it was given;
    /// it returns a new one. Fields marked "persisted" are written to flash by the Persist effect.
    /// </summary>
    public class LockState
    {
        public LockMode Mode;

        /// <summary>Persisted: remote enable/disable and the desired-state version it came with.</summary>
        public bool Enabled;

        public long DesiredVersion;

        /// <summary>Persisted (as the compact token): the current use token, verified; null when none.</summary>
        public UseToken Token;

        public string TokenJws;

        /// <summary>Persisted: stamps left under the token; decremented before the lock opens.</summary>
        public int Remaining;

        /// <summary>Persisted: stamps left that may skip the cloud's document verdict.</summary>
        public int OfflineRemaining;

        /// <summary>Persisted: numbers attempts so their ids never repeat across reboots.</summary>
        public long AttemptCounter;

        public string AttemptId;

        public string BeforePhotoId;

        /// <summary>Uptime when the current mode was entered (timeouts count from it).</summary>
        public long ModeSinceMs;

        /// <summary>Document and page the verdict approved (for the stamped event).</summary>
        public string DocumentId;

        public int Page;

        public bool TamperActive;

        /// <summary>Whether the current unlock skipped the document verdict.</summary>
        public bool UnlockedOffline;

        /// <summary>Whether a geofence-exit alarm is active (the lock was carried out of the token's area).</summary>
        public bool OutsideFence;

        /// <summary>Whether a low-battery alarm is active.</summary>
        public bool LowBattery;

        /// <summary>The seal tag last read in the lock ("" none, "?" unreadable, null before the first read).</summary>
        public string SeenTag;

        /// <summary>Whether a seal-removed alarm is active (the token's seal left the lock).</summary>
        public bool SealMissing;

        /// <summary>Refusals counted since <see cref="RefusalWindowSinceMs"/> (uptime), for the repeated-refusals alarm.</summary>
        public int RefusalsInWindow;

        public long RefusalWindowSinceMs;

        /// <summary>How many spent, replaced or revoked token ids are remembered.</summary>
        public const int RetiredCapacity = 16;

        /// <summary>
        /// Persisted: ids of tokens that were used up, replaced or revoked, newest last (nulls for
        /// free slots). A retired token never loads again, so replaying an old desired state or
        /// command cannot restart a spent count.
        /// </summary>
        public string[] RetiredTokenIds = new string[RetiredCapacity];

        public bool IsRetired(string jti)
        {
            for (int i = 0; i < RetiredTokenIds.Length; i++)
            {
                if (RetiredTokenIds[i] != null && RetiredTokenIds[i] == jti)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Adds an id, dropping the oldest when full (tokens are short-lived; the oldest expired long ago).</summary>
        public void Retire(string jti)
        {
            if (jti == null || IsRetired(jti))
            {
                return;
            }

            for (int i = 1; i < RetiredTokenIds.Length; i++)
            {
                RetiredTokenIds[i - 1] = RetiredTokenIds[i];
            }

            RetiredTokenIds[RetiredTokenIds.Length - 1] = jti;
        }

        public LockState Clone()
        {
            LockState copy = (LockState)MemberwiseClone();
            copy.RetiredTokenIds = new string[RetiredTokenIds.Length];
            System.Array.Copy(RetiredTokenIds, copy.RetiredTokenIds, RetiredTokenIds.Length);
            return copy;
        }
    }
}
