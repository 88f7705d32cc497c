// IKE SA and CHILD_SA key derivation (RFC 7296 §2.14, §2.17, §2.18; RFC 5723 §5.1).
// SKEYSEED never leaves native memory: each function derives it and expands
// it with prf+ in one call, and wipes it before returning.
#pragma once
#include "crypto/prf.h"

namespace ikelb::crypto {

inline constexpr std::size_t kSpiLength = 8;

/**
 * Writes prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) into out (its size is the sum of
 * the seven key lengths: SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr)
 * with SKEYSEED = prf(Ni | Nr, g^ir)                      (initial, §2.14), or
 *      SKEYSEED = prf(SK_d(old), g^ir(new) | Ni | Nr)     (rekey, §2.18: oldSkD non-empty), or
 *      SKEYSEED = prf(SK_d(old), "Resumption" | Ni | Nr)   (RFC 5723 §5.1: resumption true).
 */
Status DeriveIkeSaKeys(PrfId prf, Bytes nonceI, Bytes nonceR, Bytes sharedSecret, Bytes spiI, Bytes spiR,
                       Bytes oldSkD, bool resumption, MutableBytes out);

/** Length of an IKE SA's key material block: two SK contexts | SK_d | SK_pi | SK_pr. */
std::size_t IkeSaKeyMaterialLength(PrfId prf);

/**
 * The same derivation as DeriveIkeSaKeys, laid out as the IKE SA keeps it:
 *   SK context i->r (SK_ei, SK_ai) | SK context r->i (SK_er, SK_ar) | SK_d | SK_pi | SK_pr
 * (each context kSkContextLength octets, see sk.h; the keys PrfLength octets).
 * `out` must be IkeSaKeyMaterialLength(prf) octets. The key stream never
 * leaves this function.
 */
Status DeriveIkeSaKeyMaterial(PrfId prf, uint16_t encrId, uint16_t keyBits, uint16_t integId, Bytes nonceI,
                              Bytes nonceR, Bytes sharedSecret, Bytes spiI, Bytes spiR, Bytes oldSkD, bool resumption,
                              MutableBytes out);

/** KEYMAT = prf+(SK_d, [g^ir(new)] | Ni | Nr) (RFC 7296 §2.17). */
Status DeriveChildKeymat(PrfId prf, Bytes skD, Bytes sharedSecret, Bytes nonceI, Bytes nonceR, MutableBytes out);

}  // namespace ikelb::crypto
