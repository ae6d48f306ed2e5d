namespace SmartSeal.Simulators.Host;

/// <summary>
/// The simulated network between one device and the broker: scenarios take it down (the open
/// connection is cut and new connects fail) and bring it back.
/// </summary>
public sealed class NetworkGate
{
    private volatile bool _down;

    public bool IsDown => _down;

    /// <summary>Raised when the network goes down, so the transport can cut its socket.</summary>
    public event Action? WentDown;

    public void Down()
    {
        _down = true;
        WentDown?.Invoke();
    }

    public void Up()
    {
        _down = false;
    }
}
