namespace SmartSeal.Cloud.Organisation.Authorization;

public static class AuthorizationRegistration
{
    /// <summary>The unit authority; each module adds its <see cref="IObjectUnits"/> with <see cref="AddObjectUnits{T}"/>.</summary>
    public static void AddUnitAuthority(this IServiceCollection services) => services.AddSingleton<UnitAuthority>().AddObjectUnits<UserUnits>();

    public static IServiceCollection AddObjectUnits<T>(this IServiceCollection services)
        where T : class, IObjectUnits => services.AddSingleton<T>().AddSingleton<IObjectUnits>(sp => sp.GetRequiredService<T>());
}
