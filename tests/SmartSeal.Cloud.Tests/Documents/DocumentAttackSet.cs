namespace SmartSeal.Cloud.Tests.Documents;

/// <summary>
/// Forgeries and genuine photos for the document check's evaluation (issue 22), over several
/// templates: a bilingual contract, a Chinese letter with an annex, an English/Chinese quotation
/// table. Each forgery is an approved page reprinted with an edit and the genuine page code moved
/// onto it; the genuine classes are the approved pages under realistic camera distortions.
/// </summary>
public static class DocumentAttackSet
{
    /// <summary>A document template: two pages of lines, and the edit of each attack class (page, <c>from=&gt;to|...</c>).</summary>
    public sealed record Template(string Name, string[][] Pages, IReadOnlyDictionary<string, (int Page, string Edits)> Edits);

    /// <summary>Attack classes made by editing the text (the rest: swapped page, re-typeset page, moved signature block).</summary>
    public static readonly string[] EditClasses =
        ["amount-one-place", "amount-and-neighbours", "single-digit", "single-numeral", "date-digit", "negation", "similar-name", "dropped-digit", "clause-added", "deleted-clause"];

    public static readonly string[] AttackClasses = [.. EditClasses, "swapped-page", "retypeset", "moved-signature"];

    public static readonly Template Contract = new("contract", TestDocuments.ContractPages, new Dictionary<string, (int, string)>
    {
        ["amount-one-place"] = (2, "1,200,000.00=>1,800,000.00"),
        ["amount-and-neighbours"] = (2, "合同金额=>合同总额|壹佰贰拾=>壹佰捌拾|Article 4: Contract=>Art. 4: Contract|1,200,000.00 in total=>1,800,000.00 in all"),
        ["single-digit"] = (2, "0.05%=>0.09%"),
        ["single-numeral"] = (1, "起一年=>起五年"),
        ["date-digit"] = (1, "from 1 September=>from 7 September"),
        ["negation"] = (2, "Late payment bears interest=>Late payment bears no interest"),
        ["similar-name"] = (1, "星河电子=>恒通电子"),
        ["dropped-digit"] = (2, "1,200,000.00=>120,000.00"),
        ["clause-added"] = (1, "开发大道八号。=>开发大道八号。\n第十条 乙方放弃全部索赔权利。"),
        ["deleted-clause"] = (2, "第五条 付款方式：分四期按季度支付。\n=>"),
    });

    public static readonly Template Letter = new("letter", [
        [
            "关于仓储费用调整的函 Letter on Storage Fees",
            "致：广州海天物流股份有限公司",
            "To: Guangzhou Haitian Logistics Co., Ltd.",
            "根据双方于2026年3月15日签订的协议，",
            "自2026年10月1日起仓储单价调整为每平方米38元。",
            "From 1 October 2026 the storage rate is RMB 38 per square metre.",
            "调整后年度费用合计人民币叁拾陆万元整（RMB 360,000）。",
            "本函一式两份，双方各执一份。",
            "深圳市星河电子有限公司 2026年9月20日",
        ],
        [
            "附件：费用明细 Annex: Fee Details",
            "一、仓储面积：800平方米。",
            "1. Storage area: 800 square metres.",
            "二、管理费：每月伍仟元。",
            "2. Management fee: RMB 5,000 per month.",
            "三、保险费由乙方承担。",
            "3. Insurance is borne by Party B.",
            "联系人：王明 电话 0755-8866 2310",
        ],
    ], new Dictionary<string, (int, string)>
    {
        ["amount-one-place"] = (1, "RMB 360,000=>RMB 860,000"),
        ["amount-and-neighbours"] = (1, "合计人民币叁拾陆万=>总计人民币捌拾陆万|（RMB 360,000）=>（CNY 860,000）"),
        ["single-digit"] = (1, "每平方米38元=>每平方米39元"),
        ["single-numeral"] = (2, "每月伍仟元=>每月玖仟元"),
        ["date-digit"] = (1, "2026年10月1日=>2026年10月7日"),
        ["negation"] = (2, "三、保险费由乙方承担。=>三、保险费不由乙方承担。"),
        ["similar-name"] = (1, "海天物流=>海大物流"),
        ["dropped-digit"] = (2, "RMB 5,000 per=>RMB 500 per"),
        ["clause-added"] = (2, "电话 0755-8866 2310=>电话 0755-8866 2310\n四、逾期未付视为放弃。"),
        ["deleted-clause"] = (2, "三、保险费由乙方承担。\n=>"),
    });

    public static readonly Template Quotation = new("quotation", [
        [
            "报价单 Quotation QT-2026-117",
            "序号  品名 Item          数量 Qty    单价 Price     金额 Amount",
            "1     货架 Shelf         40          1,250.00       50,000.00",
            "2     叉车 Forklift      2           86,000.00      172,000.00",
            "3     托盘 Pallet        300         95.00          28,500.00",
            "合计 Total                                          250,500.00",
            "税率 Tax rate 13%，含税总价 RMB 283,065.00",
            "有效期：三十天 Valid for 30 days",
            "深圳市星河电子有限公司 销售部",
        ],
        [
            "交货条款 Delivery Terms",
            "交货期：合同签订后四十五日内。",
            "Delivery within 45 days of signing.",
            "交货地点：东莞市松山湖园区。",
            "Delivery to Songshan Lake Park, Dongguan.",
            "质保期：十二个月。",
            "Warranty: 12 months.",
            "报价人：李华",
        ],
    ], new Dictionary<string, (int, string)>
    {
        ["amount-one-place"] = (1, "172,000.00=>192,000.00"),
        ["amount-and-neighbours"] = (1, "含税总价 RMB 283,065.00=>总价 CNY 283,965.00"),
        ["single-digit"] = (1, "13%=>18%"),
        ["single-numeral"] = (2, "四十五日=>四十九日"),
        ["date-digit"] = (2, "within 45 days=>within 46 days"),
        ["negation"] = (1, "含税总价=>不含税总价"),
        ["similar-name"] = (1, "星河电子=>星海电子"),
        ["dropped-digit"] = (1, "50,000.00=>5,000.00"),
        ["clause-added"] = (1, "销售部=>销售部\n备注：价格可随时调整。"),
        ["deleted-clause"] = (2, "质保期：十二个月。\n=>"),
    });

    public static readonly Template[] Templates = [Contract, Letter, Quotation];

    /// <summary>
    /// The forged page of <paramref name="attack"/> as a 200 dpi PNG carrying the genuine code of the
    /// page it claims to be, and that page's number. <paramref name="approvedCopy"/> is the template's approved copy.
    /// </summary>
    public static (byte[] Png, int Page) Forge(Template template, string attack, byte[] approvedCopy)
    {
        const int codeCorner = 280;
        (int page, byte[] reprint) = attack switch
        {
            "swapped-page" => (1, TestDocuments.Render(TestDocuments.Pdf(template.Pages), 2)),
            "retypeset" => (1, TestDocuments.Render(TestDocuments.Pdf(new TestDocuments.Layout(Size: 12.5, Pitch: 27), template.Pages), 1)),
            "moved-signature" => (1, TestDocuments.Render(TestDocuments.Pdf(new TestDocuments.Layout(LastLineShift: 90), template.Pages), 1)),
            _ => Edited(template, attack),
        };
        return (TestDocuments.PasteCorner(TestDocuments.Render(approvedCopy, page), reprint, codeCorner), page);
    }

    private static (int, byte[]) Edited(Template template, string attack)
    {
        (int page, string edits) = template.Edits[attack];
        return (page, TestDocuments.Render(TestDocuments.Pdf(TestDocuments.Edit(template.Pages, page, edits)), page));
    }

    /// <summary>Genuine-photo classes: one realistic distortion pushed, the others mild.</summary>
    public static readonly string[] GenuineClasses = ["mild", "blur", "perspective", "rotation", "light", "jpeg", "moire"];

    public static TestDocuments.Camera Camera(string genuine, Random random)
    {
        double Between(double low, double high) => low + random.NextDouble() * (high - low);
        var mild = new TestDocuments.Camera(
            RotationDegrees: Between(-6, 6), Perspective: Between(0.01, 0.05), Blur: Between(0.5, 1.2), Noise: Between(3, 7),
            Shade: Between(0, 0.4), Quality: (int)Between(60, 90), Seed: random.Next());
        return genuine switch
        {
            "blur" => mild with { Blur = Between(1.2, 2.0) },
            "perspective" => mild with { Perspective = Between(0.08, 0.15) },
            "rotation" => mild with { RotationDegrees = Between(-15, 15) },
            "light" => mild with { Light = Between(0.25, 0.5), Shade = Between(0.3, 0.6) },
            "jpeg" => mild with { Quality = (int)Between(25, 45) },
            "moire" => mild with { Moire = Between(0.1, 0.25) },
            _ => mild,
        };
    }
}
