namespace SmartSeal.Cloud.Reports;

/// <summary>
/// Ledger entry kinds as the printed 用印台账 names them (the PDF is in Chinese with English column hints;
/// the portal has its own zh-CN/English texts). A kind not listed is printed as its code.
/// </summary>
public static class LedgerKindWords
{
    private static readonly Dictionary<string, string> Chinese = new(StringComparer.Ordinal)
    {
        ["stamp"] = "盖章", ["unlock"] = "开锁", ["refusal"] = "拒绝盖章", ["dispense"] = "取出", ["return"] = "归还",
        ["wrong-seal"] = "错放印章", ["seal-removed"] = "印章被移出", ["custody"] = "保管交接", ["admin"] = "管理操作",
        ["application"] = "申请", ["lifecycle"] = "印章生命周期", ["lifecycle-request"] = "生命周期申请", ["face-match"] = "人脸核验",
        ["remote-state"] = "远程停用/启用", ["remote-state-applied"] = "设备已执行远程指令",
    };

    public static string Zh(string kind) => Chinese.GetValueOrDefault(kind, kind);
}
