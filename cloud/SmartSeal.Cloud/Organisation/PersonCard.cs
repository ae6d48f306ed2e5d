namespace SmartSeal.Cloud.Organisation;

/// <summary>A person as records print them beside their login: display name, post and the name of their unit.</summary>
public sealed record PersonCard(string Login, string Name, string? Post, string Unit);
