using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using ISession = Net.Pkcs11Interop.HighLevelAPI.ISession;

namespace SmartSeal.Cloud.Seals.Electronic;

/// <summary>The token refused or could not do what was asked (wrong PIN, no such token or key).</summary>
public sealed class TokenException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The PKCS#11 token the seal keys live on. Keys are generated on the token as non-extractable,
/// sensitive RSA-2048 pairs; only the public half and signatures ever come out. One module load and
/// one logged-in session per process (PKCS#11 login is per application and token, and a module can
/// be initialised once per process); every operation opens its own short session under that login.
/// </summary>
public sealed class Pkcs11Token : IDisposable
{
    private static readonly object LibraryLock = new();
    private static readonly Dictionary<string, IPkcs11Library> Libraries = [];
    private static readonly byte[] Sha256DigestInfo = Convert.FromHexString("3031300d060960864801650304020105000420");

    private readonly Pkcs11InteropFactories _factories = new();
    private readonly ESealOptions _options;
    private readonly object _loginLock = new();
    private ISlot? _slot;
    private ISession? _loginSession;

    static Pkcs11Token()
    {
        // Pkcs11Interop 5.3 binds dlopen from "libdl"; glibc ≥ 2.34 ships only libdl.so.2 (dlopen now lives in libc).
        NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, (name, assembly, path) =>
            name == "libdl" && OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libdl.so.2", out IntPtr handle) ? handle : IntPtr.Zero);
    }

    public Pkcs11Token(IOptions<ESealOptions> options) => _options = options.Value;

    /// <summary>Generates a key pair labelled <paramref name="label"/> on the token; returns its public key.</summary>
    public RSAParameters GenerateKeyPair(string label)
    {
        using ISession session = Session();
        byte[] id = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(label))[..16];
        var publicAttributes = new List<IObjectAttribute>
        {
            Attribute(CKA.CKA_TOKEN, true), Attribute(CKA.CKA_PRIVATE, false), Attribute(CKA.CKA_VERIFY, true),
            Attribute(CKA.CKA_MODULUS_BITS, 2048UL), Attribute(CKA.CKA_PUBLIC_EXPONENT, new byte[] { 1, 0, 1 }),
            Attribute(CKA.CKA_LABEL, label), Attribute(CKA.CKA_ID, id),
        };
        var privateAttributes = new List<IObjectAttribute>
        {
            Attribute(CKA.CKA_TOKEN, true), Attribute(CKA.CKA_PRIVATE, true), Attribute(CKA.CKA_SENSITIVE, true), Attribute(CKA.CKA_EXTRACTABLE, false),
            Attribute(CKA.CKA_SIGN, true), Attribute(CKA.CKA_LABEL, label), Attribute(CKA.CKA_ID, id),
        };
        Run(() => session.GenerateKeyPair(_factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS_KEY_PAIR_GEN), publicAttributes, privateAttributes, out _, out _), $"generate key {label}");
        return PublicKey(label);
    }

    /// <summary>The public key of the pair labelled <paramref name="label"/>.</summary>
    public RSAParameters PublicKey(string label)
    {
        using ISession session = Session();
        IObjectHandle key = Find(session, CKO.CKO_PUBLIC_KEY, label);
        List<IObjectAttribute> values = Run(() => session.GetAttributeValue(key, [CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT]), $"read public key {label}");
        return new RSAParameters { Modulus = values[0].GetValueAsByteArray(), Exponent = values[1].GetValueAsByteArray() };
    }

    /// <summary>PKCS#1 v1.5 signature over a SHA-256 digest, made on the token.</summary>
    public byte[] SignSha256(string label, ReadOnlySpan<byte> digest)
    {
        if (digest.Length != 32)
        {
            throw new ArgumentException("a SHA-256 digest is 32 bytes", nameof(digest));
        }

        byte[] digestInfo = [.. Sha256DigestInfo, .. digest];
        using ISession session = Session();
        IObjectHandle key = Find(session, CKO.CKO_PRIVATE_KEY, label);
        return Run(() => session.Sign(_factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS), key, digestInfo), $"sign with {label}");
    }

    /// <summary>Whether the private key can be read out of the token (it never can: the test asks).</summary>
    public bool PrivateKeyIsExtractable(string label)
    {
        using ISession session = Session();
        IObjectHandle key = Find(session, CKO.CKO_PRIVATE_KEY, label);
        List<IObjectAttribute> values = session.GetAttributeValue(key, [CKA.CKA_EXTRACTABLE, CKA.CKA_SENSITIVE]);
        return values[0].GetValueAsBool() || !values[1].GetValueAsBool();
    }

    /// <summary>Removes both halves of a key pair (a key generated for a change that was then refused).</summary>
    public void Destroy(string label)
    {
        using ISession session = Session();
        foreach (CKO kind in new[] { CKO.CKO_PRIVATE_KEY, CKO.CKO_PUBLIC_KEY })
        {
            foreach (IObjectHandle handle in session.FindAllObjects([Attribute(CKA.CKA_CLASS, kind), Attribute(CKA.CKA_LABEL, label)]))
            {
                session.DestroyObject(handle);
            }
        }
    }

    /// <summary>Finds the token (initialising it in development, when a security-officer PIN is configured) without logging in.</summary>
    public void EnsureToken()
    {
        lock (_loginLock)
        {
            _slot ??= FindOrInitialiseSlot();
        }
    }

    public void Dispose()
    {
        _loginSession?.Dispose();
    }

    private ISession Session()
    {
        lock (_loginLock)
        {
            if (_loginSession is null)
            {
                _slot ??= FindOrInitialiseSlot();
                ISession login = _slot.OpenSession(SessionType.ReadWrite);
                try
                {
                    login.Login(CKU.CKU_USER, _options.UserPin ?? throw new TokenException($"no user PIN configured for token {_options.TokenLabel} (SmartSeal:ESeals:UserPin)"));
                }
                catch (Pkcs11Exception e) when (e.RV != CKR.CKR_USER_ALREADY_LOGGED_IN)
                {
                    login.Dispose();
                    throw new TokenException(e.RV is CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_LOCKED or CKR.CKR_PIN_LEN_RANGE
                        ? $"token {_options.TokenLabel} refused the PIN ({e.RV})"
                        : $"token {_options.TokenLabel} refused the login ({e.RV})", e);
                }

                _loginSession = login;
            }

            return _slot!.OpenSession(SessionType.ReadWrite);
        }
    }

    private ISlot FindOrInitialiseSlot()
    {
        IPkcs11Library library = Library(_factories, _options.Pkcs11Library);
        lock (LibraryLock)
        {
            List<ISlot> slots = library.GetSlotList(SlotsType.WithTokenPresent);
            if (slots.FirstOrDefault(s => s.GetTokenInfo().Label.Trim() == _options.TokenLabel) is { } found)
            {
                return found;
            }

            if (string.IsNullOrEmpty(_options.SoPin) || _options.UserPin is null)
            {
                throw new TokenException($"no token labelled {_options.TokenLabel} in {_options.Pkcs11Library}");
            }

            // Development: take the first uninitialised slot (SoftHSM always keeps one free).
            ISlot free = slots.FirstOrDefault(s => !s.GetTokenInfo().TokenFlags.TokenInitialized)
                ?? throw new TokenException($"no free slot to initialise token {_options.TokenLabel} in {_options.Pkcs11Library}");
            free.InitToken(_options.SoPin, _options.TokenLabel);
            ISlot created = library.GetSlotList(SlotsType.WithTokenPresent).First(s => s.GetTokenInfo().Label.Trim() == _options.TokenLabel);
            using ISession so = created.OpenSession(SessionType.ReadWrite);
            so.Login(CKU.CKU_SO, _options.SoPin);
            so.InitPin(_options.UserPin);
            so.Logout();
            return created;
        }
    }

    /// <summary>A PKCS#11 module is initialised once per process and shared by every token object.</summary>
    private static IPkcs11Library Library(Pkcs11InteropFactories factories, string path)
    {
        lock (LibraryLock)
        {
            if (!Libraries.TryGetValue(path, out IPkcs11Library? library))
            {
                try
                {
                    library = factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, path, AppType.MultiThreaded);
                }
                catch (Exception e) when (e is Pkcs11Exception or UnmanagedException or DllNotFoundException)
                {
                    throw new TokenException($"cannot load the PKCS#11 module {path}: {e.Message}", e);
                }

                Libraries[path] = library;
            }

            return library;
        }
    }

    private IObjectHandle Find(ISession session, CKO kind, string label) =>
        session.FindAllObjects([Attribute(CKA.CKA_CLASS, kind), Attribute(CKA.CKA_LABEL, label)]).FirstOrDefault()
        ?? throw new TokenException($"no {(kind == CKO.CKO_PRIVATE_KEY ? "private" : "public")} key {label} on token {_options.TokenLabel}");

    private IObjectAttribute Attribute(CKA type, object value) => value switch
    {
        bool b => _factories.ObjectAttributeFactory.Create(type, b),
        ulong u => _factories.ObjectAttributeFactory.Create(type, u),
        string s => _factories.ObjectAttributeFactory.Create(type, s),
        byte[] bytes => _factories.ObjectAttributeFactory.Create(type, bytes),
        CKO kind => _factories.ObjectAttributeFactory.Create(type, kind),
        _ => throw new ArgumentException($"attribute value {value.GetType()}", nameof(value)),
    };

    private T Run<T>(Func<T> action, string what)
    {
        try
        {
            return action();
        }
        catch (Pkcs11Exception e)
        {
            throw new TokenException($"token {_options.TokenLabel} could not {what} ({e.RV})", e);
        }
    }

    private void Run(Action action, string what) => Run(() => { action(); return true; }, what);
}
