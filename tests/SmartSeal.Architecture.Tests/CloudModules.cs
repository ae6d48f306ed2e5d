namespace SmartSeal.Architecture.Tests;

/// <summary>A cloud module: its name (also its namespace, SmartSeal.Cloud.&lt;Name&gt;) and the other namespaces that belong to it until the refactor moves them in.</summary>
public sealed record Module(string Name, params string[] FormerNamespaces)
{
    public IEnumerable<string> Namespaces => FormerNamespaces.Prepend(Name);
}

/// <summary>Modules of one layer: each may use any module of a lower layer, none of its own layer or above.</summary>
public sealed record Layer(string Name, params Module[] Modules);

/// <summary>
/// The cloud's modules, the allowed dependency direction and who owns which table: the one place
/// the architecture rules read (docs/architecture.md draws the same picture; docs/architecture-plan.md
/// says how the code gets there). A namespace is the second segment after SmartSeal.Cloud
/// (SmartSeal.Cloud.Ledger.Sub → Ledger); the root namespace SmartSeal.Cloud is written "".
/// </summary>
public static class CloudModules
{
    public const string Root = "SmartSeal.Cloud";

    /// <summary>Top to bottom. A new folder must be placed here before it can hold code.</summary>
    public static readonly IReadOnlyList<Layer> Layers =
    [
        new("entry point", new Module("Cli")),
        new("composition root", new Module("Hosting")),
        new("backup and restore: the whole database and data files, below the CLI that runs it", new Module("Backup")), // issue 17 govops
        new("web surfaces", new Module("Portal"), new Module("Health")),
        new("audits: checklists sampled through the ledger's API, findings, rectification, scores and reports", new Module("Audits")), // issue 17 govaudit
        new("risk review: unusual use read from the ledger, for whom Reports' LedgerAudience says may audit it", new Module("Risk")), // issue 17 govops
        new("reports", new Module("Reports")),
        new("gate", new Module("Gate", "Faces", "Gates")),
        new("e-sealing", new Module("ESealing")), // eseal
        new("document check", new Module("Documents")),
        new("checkouts and use tokens", new Module("Checkouts")),
        new("applications", new Module("Applications")),
        new("seal register", new Module("Seals")),
        new("live feed", new Module("LiveFeed")),
        new("commands", new Module("Commands")),
        new("ledger", new Module("Ledger")),
        new("photos", new Module("Photos")),
        new("device transports", new Module("Mqtt"), new Module("IotHub")),
        new("ingest", new Module("Ingest")),
        new("alarms", new Module("Alarms")),
        new("devices", new Module("Devices")),
        new("notifications: inbox and work notices, called by every module above after commit", new Module("Notifications")), // issue 17 govops
        new("organisation: identity and unit scope", new Module("Organisation")),
        new("platform", new Module("Platform", "Storage", "Security", "Api", "")),
    ];

    /// <summary>Each table and the one module whose code may name it in SQL.</summary>
    public static readonly IReadOnlyDictionary<string, string> TableOwners = new Dictionary<string, string>
    {
        ["devices"] = "Devices",
        ["positions"] = "Devices",
        ["device_changes"] = "Devices",
        ["device_messages"] = "Ingest",
        ["refused_messages"] = "Ingest",
        ["alarms"] = "Alarms",
        ["alarm_deliveries"] = "Alarms",
        ["photos"] = "Photos",
        ["photo_uploads"] = "Photos",
        ["photo_chunks"] = "Photos",
        ["photo_refs"] = "Photos",
        ["ledger_entries"] = "Ledger",
        ["ledger_heads"] = "Ledger",
        ["ledger_checkpoints"] = "Ledger",
        ["commands"] = "Commands",
        ["desired_states"] = "Commands",
        ["device_counters"] = "Commands",
        ["org_units"] = "Organisation",
        ["users"] = "Organisation",
        ["role_assignments"] = "Organisation",
        ["delegations"] = "Organisation",
        ["api_tokens"] = "Organisation",
        ["seals"] = "Seals",
        ["seal_holds"] = "Seals",
        ["seal_transition_requests"] = "Seals",
        ["inventory_checks"] = "Seals",
        ["inventory_items"] = "Seals",
        ["inventory_observations"] = "Seals",
        ["applications"] = "Applications",
        ["approval_tasks"] = "Applications",
        ["application_urges"] = "Applications",
        ["step_delegations"] = "Applications",
        ["checkouts"] = "Checkouts",
        ["use_tokens"] = "Checkouts",
        ["application_documents"] = "Documents",
        ["document_pages"] = "Documents",
        ["document_stamps"] = "Documents",
        ["document_verdicts"] = "Documents",
        ["stamp_evidence_checks"] = "Documents",
        ["face_enrolments"] = "Gate",
        ["gate_cabinets"] = "Gate",
        ["gate_decisions"] = "Gate",

        // issue 17 govops
        ["notices"] = "Notifications",
        ["notice_settings"] = "Notifications",
        ["notice_deliveries"] = "Notifications",
        // eseal
        ["e_seals"] = "Seals",
        ["e_seal_certificates"] = "Seals",
        ["e_sealings"] = "ESealing",
        ["e_seal_prints"] = "ESealing", // eseal2: remote print
        // govchains (issue 17: approval routing)
        ["approval_chains"] = "Applications",
        ["seal_scopes"] = "Applications",
        ["approval_follow_ups"] = "Applications",
        // issue 17 govaudit
        ["audits"] = "Audits",
        ["audit_items"] = "Audits",
        ["audit_findings"] = "Audits",
        // eseal3 (issue 16 item 2): scans of legacy seals' impressions
        ["e_seal_impression_scans"] = "Seals",
    };

    private static readonly Dictionary<string, (Module Module, int Layer)> ByNamespace = Index();

    private static Dictionary<string, (Module, int)> Index()
    {
        var index = new Dictionary<string, (Module, int)>(StringComparer.Ordinal);
        for (int layer = 0; layer < Layers.Count; layer++)
        {
            foreach (Module module in Layers[layer].Modules)
            {
                foreach (string ns in module.Namespaces)
                {
                    index.Add(ns, (module, layer));
                }
            }
        }

        return index;
    }

    /// <summary>The namespace segment right under <paramref name="root"/> ("" for the root itself), or null outside it.</summary>
    public static string? Segment(string fullNamespace, string root)
    {
        if (fullNamespace == root)
        {
            return "";
        }

        if (!fullNamespace.StartsWith(root + ".", StringComparison.Ordinal))
        {
            return null;
        }

        string rest = fullNamespace[(root.Length + 1)..];
        int dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    /// <summary>The module a namespace segment belongs to and its layer (0 = top), or null when the map does not place it.</summary>
    public static (Module Module, int Layer)? Find(string segment) =>
        ByNamespace.TryGetValue(segment, out (Module, int) found) ? found : null;
}
