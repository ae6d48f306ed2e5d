using SmartSeal.Cloud.Organisation;

namespace SmartSeal.Cloud.Portal;

/// <summary>
/// People as a page shows them — by name, with unit and post where there is room — never by login
/// (issue 18): a page loads the logins it will print once (<see cref="LoadAsync"/>, one query through
/// <see cref="OrgDirectory"/>), then its view asks per login. A login the register no longer knows is
/// printed as it is (there is nothing else to show).
/// </summary>
public sealed class PortalPeople(OrgDirectory directory)
{
    private readonly Dictionary<string, PersonCard> _known = new(StringComparer.Ordinal);

    public async Task LoadAsync(IEnumerable<string?> logins, CancellationToken cancellationToken = default)
    {
        string[] missing = logins.OfType<string>().Where(l => !_known.ContainsKey(l)).Distinct(StringComparer.Ordinal).ToArray();
        if (missing.Length == 0)
        {
            return;
        }

        foreach ((string login, PersonCard card) in await directory.PeopleAsync(missing, cancellationToken))
        {
            _known[login] = card;
        }
    }

    /// <summary>"张伟 · 深圳市分公司 · 采购专员".</summary>
    public string Label(string login) => _known.TryGetValue(login, out PersonCard? card) ? card.Label : login;

    /// <summary>"张伟", for lists inside a sentence.</summary>
    public string Name(string login) => _known.TryGetValue(login, out PersonCard? card) ? card.Name : login;

    public string Names(IEnumerable<string> logins, string separator = "、") => string.Join(separator, logins.Select(Name));
}
