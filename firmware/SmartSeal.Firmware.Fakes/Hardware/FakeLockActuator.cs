namespace SmartSeal.Firmware.Hardware.Fakes
{
    /// <summary>Records the bolt's position and how often it was released.</summary>
    public class FakeLockActuator : ILockActuator
    {
        public bool IsUnlocked { get; private set; }

        public int UnlockCount { get; private set; }

        public void Unlock()
        {
            IsUnlocked = true;
            UnlockCount++;
        }

        public void Lock()
        {
            IsUnlocked = false;
        }

        /// <summary>A power cut: the fail-secure bolt springs back.</summary>
        public void PowerLoss()
        {
            IsUnlocked = false;
        }
    }
}
