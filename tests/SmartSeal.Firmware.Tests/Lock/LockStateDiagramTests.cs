using SmartSeal.Firmware.Lock;

namespace SmartSeal.Firmware.Tests.Lock;

public class LockStateDiagramTests
{
    [Fact]
    public void The_documented_diagram_names_every_lock_mode()
    {
        string diagram = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "hardware-docs", "lock-states.md"));
        foreach (string mode in Enum.GetNames<LockMode>())
        {
            Assert.Matches($@"(-->\s*{mode}\b)|(\b{mode}\s*-->)", diagram);
        }
    }
}
