namespace SmartSeal.Cloud.Gate;

/// <summary>A person a gate may recognise: their sealed templates, the enrolment's expiry and the end of their last window.</summary>
public sealed record EntitledPerson(string Login, byte[] Sealed, long ExpiresMs, long WindowToMs);
