namespace SmartSeal.Cloud.Photos;

/// <summary>A device's photo id and the stored photo it names, with why it was taken and the attempt it belongs to (<see cref="PhotoCatalog"/>).</summary>
public sealed record PhotoRef(string DeviceId, string PhotoId, string Sha256, string Purpose, string? AttemptId);
