namespace SmartSeal.Cabinet.Linux.Configuration;

/// <summary>The pin map cannot drive this cabinet; the message names the entry and what is wrong with it.</summary>
public sealed class CabinetConfigException(string message) : Exception(message);
