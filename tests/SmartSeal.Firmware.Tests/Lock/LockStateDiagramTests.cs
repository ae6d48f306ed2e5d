using SmartSeal.Firmware.Cabinet;
using SmartSeal.Firmware.Lock;

namespace SmartSeal.Firmware.Tests.Lock;

public class LockStateDiagramTests
{
    [Theory]
    [InlineData("lock-states.md", typeof(LockMode))]
    [InlineData("cabinet-states.md", typeof(CompartmentMode))]
    public void The_documented_diagram_names_every_mode(string document, Type modes)
    {
        string diagram = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "hardware-docs", document));
        foreach (string mode in Enum.GetNames(modes))
        {
            Assert.Matches($@"(-->\s*{mode}\b)|(\b{mode}\s*-->)", diagram);
        }
    }
}
