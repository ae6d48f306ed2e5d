using SmartSeal.Cabinet.Linux.Configuration;
using SmartSeal.Cabinet.Linux.Hardware;
using SmartSeal.Firmware.Cabinet;
using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Cabinet.Linux;

/// <summary>The bring-up checklist's commands (hardware-docs/linux-cabinet.md): each part of the board on its own, no cloud.</summary>
public static class BringUpCommands
{
    /// <summary>Opens every bus and line of the pin map and prints what each compartment reads.</summary>
    public static int Check(CabinetConfig config)
    {
        using var board = new LinuxCabinetBoard(config, new LinuxBuses());
        board.Poll(0);
        foreach (CompartmentHardware c in board.Compartments)
        {
            string tag = c.TagReader.Read();
            Console.WriteLine($"compartment {c.Number}: door {(c.Door.IsActive ? "open" : "closed")}, tag {Describe(tag)}");
        }

        if (board.Tamper != null)
        {
            Console.WriteLine($"tamper loop: {(board.Tamper.IsActive ? "OPEN" : "intact")}");
        }

        return 0;
    }

    /// <summary>Releases one latch for a moment and locks it again.</summary>
    public static int Latch(CabinetConfig config, int compartment, double seconds)
    {
        using var board = new LinuxCabinetBoard(config, new LinuxBuses());
        CompartmentHardware c = Find(board, compartment);
        c.Latch.Unlock();
        Console.WriteLine($"compartment {compartment}: latch released for {seconds:0.#} s");
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        c.Latch.Lock();
        Console.WriteLine($"compartment {compartment}: latch locked");
        return 0;
    }

    /// <summary>Prints door and tamper changes until Ctrl+C (open and close each door by hand).</summary>
    public static int Doors(CabinetConfig config)
    {
        using var board = new LinuxCabinetBoard(config, new LinuxBuses());
        var uptime = System.Diagnostics.Stopwatch.StartNew();
        foreach (CompartmentHardware c in board.Compartments)
        {
            c.Door.Changed += Print;
        }

        if (board.Tamper != null)
        {
            board.Tamper.Changed += Print;
        }

        Console.WriteLine("open and close the doors; Ctrl+C to stop");
        while (true)
        {
            board.Poll(uptime.ElapsedMilliseconds);
            Thread.Sleep(10);
        }
    }

    /// <summary>Reads one compartment's MFRC522 once.</summary>
    public static int Tag(CabinetConfig config, int compartment)
    {
        using var board = new LinuxCabinetBoard(config, new LinuxBuses());
        string tag = Find(board, compartment).TagReader.Read();
        Console.WriteLine($"compartment {compartment}: tag {Describe(tag)}");
        return tag == TagReading.Unreadable ? 1 : 0;
    }

    private static void Print(ISwitch sender, bool active, long uptimeMs) => Console.WriteLine($"{uptimeMs,8} ms  {sender.Name}: {(active ? "OPEN" : "closed")}");

    private static string Describe(string tag) => tag == TagReading.None ? "none" : tag == TagReading.Unreadable ? "UNREADABLE (reader or tag fails)" : tag;

    private static CompartmentHardware Find(LinuxCabinetBoard board, int compartment) =>
        board.Compartments.FirstOrDefault(c => c.Number == compartment) ?? throw new CabinetConfigException($"compartment {compartment} is not in the pin map");
}
