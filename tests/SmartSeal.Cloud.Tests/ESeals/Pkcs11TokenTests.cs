using System.Security.Cryptography;
using SmartSeal.Cloud.Seals.Electronic;

namespace SmartSeal.Cloud.Tests.ESeals;

/// <summary>The seal keys on a real PKCS#11 token (SoftHSM2): generated there, never readable, signing there; a wrong PIN is refused.</summary>
public class Pkcs11TokenTests
{
    [Fact]
    public void A_key_generated_on_the_token_signs_there_and_cannot_be_read_out()
    {
        using Pkcs11Token token = SoftHsm.Token(SoftHsm.NewTokenLabel());
        RSAParameters publicKey = token.GenerateKeyPair("e-seal:test:1");

        Assert.False(token.PrivateKeyIsExtractable("e-seal:test:1"));
        Assert.Equal(256, publicKey.Modulus!.Length);
        byte[] digest = SHA256.HashData("合同第一页"u8);
        byte[] signature = token.SignSha256("e-seal:test:1", digest);
        using RSA verifier = RSA.Create(publicKey);
        Assert.True(verifier.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.False(verifier.VerifyHash(SHA256.HashData("合同第二页"u8), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        token.Destroy("e-seal:test:1");
        Assert.Contains("no private key", Assert.Throws<TokenException>(() => token.SignSha256("e-seal:test:1", digest)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_pin_is_refused_with_the_reason_and_nothing_is_generated()
    {
        string label = SoftHsm.NewTokenLabel();
        using (Pkcs11Token owner = SoftHsm.Token(label))
        {
            owner.EnsureToken(); // initialised with the right PIN, nobody logged in yet
        }

        using Pkcs11Token intruder = SoftHsm.Token(label, userPin: "0000-wrong", soPin: null);
        TokenException refused = Assert.Throws<TokenException>(() => intruder.GenerateKeyPair("e-seal:stolen:1"));
        Assert.Contains("refused the PIN", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_that_does_not_exist_is_named_in_the_refusal_and_not_created_outside_development()
    {
        string label = SoftHsm.NewTokenLabel();
        using Pkcs11Token token = SoftHsm.Token(label, soPin: null);
        TokenException refused = Assert.Throws<TokenException>(() => token.GenerateKeyPair("e-seal:x:1"));
        Assert.Contains($"no token labelled {label}", refused.Message, StringComparison.Ordinal);
    }
}
