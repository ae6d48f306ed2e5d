using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Portal.Pages.Keeper;

/// <summary>
/// Approval chains (<see cref="ApprovalChains"/>): the keeper sees the chains of their units, stores one
/// (which applications it serves, its steps as JSON — role, post up the tree, fixed unit, countersign),
/// and previews who would approve a given applicant's application for a seal now.
/// </summary>
public sealed class ChainsModel(ApprovalChains chains, ApplicationService applications, OrgStore org, IStringLocalizer<PortalText> text) : PageModel
{
    public IReadOnlyList<ChainDefinition> Chains { get; private set; } = [];

    public IReadOnlyList<OrgUnit> Units { get; private set; } = [];

    public ChainPreview? Preview { get; private set; }

    public string? Error { get; private set; }

    [BindProperty]
    public ChainForm Form { get; set; } = new();

    [BindProperty]
    public PreviewForm Ask { get; set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        ChainDefinition? chain = Form.ToChain(out string? parseError);
        if (chain is null)
        {
            Error = text["Chains.StepsInvalid", parseError ?? ""];
            await LoadAsync(cancellationToken);
            return Page();
        }

        ChangeResult<ChainDefinition> result = await chains.SaveAsync(Form.Name?.Trim() ?? "", chain, CallerScope.Of(User), cancellationToken);
        if (result.Status != ChangeStatus.Ok)
        {
            Error = ChangeText.Of(result, text);
            await LoadAsync(cancellationToken);
            return Page();
        }

        TempData["Flash"] = text["Chains.Saved", result.Value!.Name].Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken cancellationToken)
    {
        var request = new ApplicationRequest(Ask.SealId?.Trim(), null, null, null, null, null, null, null, null, Ask.Category, Ask.Amount, null);
        ChangeResult<ChainPreview> result = await applications.PreviewAsync(request, Ask.Applicant?.Trim() ?? "", CallerScope.Of(User), cancellationToken);
        if (result.Status == ChangeStatus.Ok)
        {
            Preview = result.Value;
        }
        else
        {
            Error = result.Error ?? ChangeText.Of(result, text);
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        CallerScope scope = CallerScope.Of(User);
        IReadOnlyList<OrgUnit> all = await org.ListUnitsAsync(cancellationToken);
        Units = scope.Everything ? all : all.Where(u => scope.KeeperUnitIds.Any(k => u.Path.Contains("/" + k + "/", StringComparison.Ordinal))).ToList();
        var mine = Units.Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        Chains = (await chains.ListAsync(cancellationToken)).Where(c => scope.Everything || (c.UnitId is not null && mine.Contains(c.UnitId))).ToList();
    }

    /// <summary>The chain as the form posts it: the matching fields one by one, the steps as JSON.</summary>
    public sealed class ChainForm
    {
        public string? Name { get; set; }

        public string? UnitId { get; set; }

        public string? SealTypes { get; set; }

        public string? Purposes { get; set; }

        public long? MinAmount { get; set; }

        public int MinLevel { get; set; }

        public int Priority { get; set; } = 100;

        public string? Steps { get; set; }

        public ChainDefinition? ToChain(out string? error)
        {
            error = null;
            List<StepDefinition>? steps;
            try
            {
                steps = string.IsNullOrWhiteSpace(Steps) ? [] : JsonSerializer.Deserialize<List<StepDefinition>>(Steps, ApplicationJson.Options);
            }
            catch (JsonException e)
            {
                error = e.Message;
                return null;
            }

            var types = new List<SealType>();
            foreach (string type in Split(SealTypes))
            {
                if (!Kebab.TryParse(type, out SealType parsed))
                {
                    error = type;
                    return null;
                }

                types.Add(parsed);
            }

            return new ChainDefinition
            {
                UnitId = string.IsNullOrWhiteSpace(UnitId) ? null : UnitId, SealTypes = types, Purposes = Split(Purposes).Select(p => p.ToLowerInvariant()).ToList(),
                MinAmount = MinAmount, MinLevel = MinLevel, Priority = Priority, Steps = steps ?? [],
            };
        }

        private static string[] Split(string? list) => (list ?? "").Split([',', '，', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public sealed class PreviewForm
    {
        public string? Applicant { get; set; }

        public string? SealId { get; set; }

        public string? Category { get; set; }

        public long? Amount { get; set; }
    }

    public static string Describe(ChainDefinition chain) => string.Join(" → ", chain.Steps.Select(s => s.Name + " (" + s.Target + ")"));

    public static string Amount(long? amount) => amount?.ToString("N0", CultureInfo.InvariantCulture) ?? "—";
}
