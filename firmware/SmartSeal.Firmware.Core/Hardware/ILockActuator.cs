namespace SmartSeal.Firmware.Hardware
{
    /// <summary>
    /// A bolt or solenoid that holds a seal (the portable lock's seal, or one cabinet compartment's
    /// door). Fail-secure: without power it stays locked.
    /// </summary>
    public interface ILockActuator
    {
        void Unlock();

        void Lock();

        bool IsUnlocked { get; }
    }
}
