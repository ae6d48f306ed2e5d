using SmartSeal.Cabinet.Linux;
using SmartSeal.Cabinet.Linux.Configuration;

// SmartSeal.Cabinet.Linux [run|check|doors|latch <n> [seconds]|tag <n>] [--config cabinet.json]; exit 0 done, 1 board, 2 config, 64 usage
string configPath = "cabinet.json";
var words = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--config" && i + 1 < args.Length)
    {
        configPath = args[++i];
    }
    else
    {
        words.Add(args[i]);
    }
}

try
{
    CabinetConfig config = CabinetConfig.Load(configPath);
    return words.FirstOrDefault() switch
    {
        null or "run" => CabinetHost.Run(config),
        "check" => BringUpCommands.Check(config),
        "doors" => BringUpCommands.Doors(config),
        "latch" when words.Count >= 2 => BringUpCommands.Latch(config, int.Parse(words[1], System.Globalization.CultureInfo.InvariantCulture), words.Count >= 3 ? double.Parse(words[2], System.Globalization.CultureInfo.InvariantCulture) : 1.0),
        "tag" when words.Count >= 2 => BringUpCommands.Tag(config, int.Parse(words[1], System.Globalization.CultureInfo.InvariantCulture)),
        _ => Usage(),
    };
}
catch (CabinetConfigException e)
{
    Console.Error.WriteLine($"{configPath}: {e.Message}");
    return 2;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
{
    // No gpiochip, spidev or i2c-dev node, or no permission: the bring-up checklist's steps 2-3.
    Console.Error.WriteLine($"cannot open the board: {e.Message} (buses enabled in config.txt? user in the gpio, spi, i2c, video groups?)");
    return 1;
}

static int Usage()
{
    Console.Error.WriteLine("usage: SmartSeal.Cabinet.Linux [run | check | doors | latch <compartment> [seconds] | tag <compartment>] [--config cabinet.json]");
    return 64;
}
