"""SM2 signing and public-key derivation through the system's OpenSSL 3 libcrypto (ctypes; no compiler, no wheel).

Why: gmssl's scalar multiplication is pure Python and adds a point only for the 1-bits of the scalar, so the time to
sign follows the Hamming weight and length of the nonce k and of the private key d (benchmarks/bench_sm2_timing.py,
ADR 0011). OpenSSL multiplies the generator by a secret scalar with a Montgomery ladder of fixed length
(``ossl_ec_scalar_mul_ladder``), draws k from its own DRBG and inverts 1+d in constant time.

Formats are those of ``smartjustice.crypto``: 32-byte d, 65-byte ``04||x||y``, 64-byte ``r||s``, user id
``1234567812345678``. ``load()`` answers None (with the reason in ``UNAVAILABLE``) when libcrypto.so.3 is missing
or cannot do SM2, so the caller can fail over visibly; the library is part of Debian's base system (libssl3).
"""

from __future__ import annotations

import ctypes
import ctypes.util

from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

NID_SM2 = 1172  # OpenSSL obj_mac.h
_POINT_CONVERSION_UNCOMPRESSED = 4
_EVP_PKEY_KEYPAIR = 0x87  # OSSL_KEYMGMT_SELECT_ALL_PARAMETERS | PRIVATE_KEY | PUBLIC_KEY
UNAVAILABLE = ""  # why load() found no usable library, for the failover message


class OpenSSLError(RuntimeError):
    """A libcrypto call failed (the error queue's first entry is in the message)."""


class _Library:
    """The few libcrypto functions the two operations need, with their C signatures."""

    def __init__(self, lib: ctypes.CDLL):
        p, i, sz = ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t
        signatures = {
            "ERR_get_error": (ctypes.c_ulong, []),
            "ERR_error_string_n": (None, [ctypes.c_ulong, ctypes.c_char_p, sz]),
            "ERR_clear_error": (None, []),
            "BN_bin2bn": (p, [ctypes.c_char_p, i, p]),
            "BN_set_flags": (None, [p, i]),
            "BN_clear_free": (None, [p]),
            "BN_CTX_new": (p, []),
            "BN_CTX_free": (None, [p]),
            "EC_GROUP_new_by_curve_name": (p, [i]),
            "EC_GROUP_free": (None, [p]),
            "EC_POINT_new": (p, [p]),
            "EC_POINT_free": (None, [p]),
            "EC_POINT_mul": (i, [p, p, p, p, p, p]),
            "EC_POINT_point2oct": (sz, [p, p, i, ctypes.c_char_p, sz, p]),
            "OSSL_PARAM_BLD_new": (p, []),
            "OSSL_PARAM_BLD_free": (None, [p]),
            "OSSL_PARAM_BLD_push_utf8_string": (i, [p, ctypes.c_char_p, ctypes.c_char_p, sz]),
            "OSSL_PARAM_BLD_push_BN": (i, [p, ctypes.c_char_p, p]),
            "OSSL_PARAM_BLD_push_octet_string": (i, [p, ctypes.c_char_p, ctypes.c_char_p, sz]),
            "OSSL_PARAM_BLD_to_param": (p, [p]),
            "OSSL_PARAM_free": (None, [p]),
            "EVP_PKEY_CTX_new_from_name": (p, [p, ctypes.c_char_p, p]),
            "EVP_PKEY_CTX_new": (p, [p, p]),
            "EVP_PKEY_CTX_free": (None, [p]),
            "EVP_PKEY_CTX_set1_id": (i, [p, ctypes.c_char_p, i]),
            "EVP_PKEY_fromdata_init": (i, [p]),
            "EVP_PKEY_fromdata": (i, [p, ctypes.POINTER(p), i, p]),
            "EVP_PKEY_free": (None, [p]),
            "EVP_MD_CTX_new": (p, []),
            "EVP_MD_CTX_free": (None, [p]),
            "EVP_MD_CTX_set_pkey_ctx": (None, [p, p]),
            "EVP_sm3": (p, []),
            "EVP_DigestSignInit": (i, [p, p, p, p, p]),
            "EVP_DigestSign": (i, [p, ctypes.c_char_p, ctypes.POINTER(sz), ctypes.c_char_p, sz]),
        }
        for name, (restype, argtypes) in signatures.items():
            function = getattr(lib, name)  # AttributeError: not an OpenSSL 3 libcrypto
            function.restype, function.argtypes = restype, argtypes
            setattr(self, name, function)

    def fail(self, what: str) -> OpenSSLError:
        code = self.ERR_get_error()
        buffer = ctypes.create_string_buffer(256)
        if code:
            self.ERR_error_string_n(code, buffer, len(buffer))
        self.ERR_clear_error()
        return OpenSSLError(f"{what} failed: {buffer.value.decode(errors='replace') or 'no OpenSSL error'}")


_BN_FLG_CONSTTIME = 0x04


class OpenSSLSM2:
    """SM2 (GB/T 32918.2) with SM3 and a distinguishing id, on OpenSSL's constant-time scalar multiplication."""

    def __init__(self, library: _Library):
        self._c = library

    def public_key(self, private_key: bytes) -> bytes:
        """04||x||y of d·G (ladder multiplication: no branch on the bits of d)."""
        c = self._c
        group = c.EC_GROUP_new_by_curve_name(NID_SM2)
        point = c.EC_POINT_new(group) if group else None
        scalar = c.BN_bin2bn(private_key, len(private_key), None)
        bn_ctx = c.BN_CTX_new()
        try:
            if not (group and point and scalar and bn_ctx):
                raise c.fail("SM2 key setup")
            c.BN_set_flags(scalar, _BN_FLG_CONSTTIME)
            if c.EC_POINT_mul(group, point, scalar, None, None, bn_ctx) != 1:
                raise c.fail("EC_POINT_mul")
            out = ctypes.create_string_buffer(65)
            if c.EC_POINT_point2oct(group, point, _POINT_CONVERSION_UNCOMPRESSED, out, 65, bn_ctx) != 65:
                raise c.fail("EC_POINT_point2oct")
            return out.raw
        finally:
            c.BN_CTX_free(bn_ctx)
            c.BN_clear_free(scalar)
            c.EC_POINT_free(point)
            c.EC_GROUP_free(group)

    def _pkey(self, private_key: bytes, public_key: bytes):
        c = self._c
        builder = c.OSSL_PARAM_BLD_new()
        scalar = c.BN_bin2bn(private_key, len(private_key), None)
        params = ctx = None
        try:
            if not (builder and scalar):
                raise c.fail("SM2 key parameters")
            ok = (
                c.OSSL_PARAM_BLD_push_utf8_string(builder, b"group", b"SM2", 0)
                and c.OSSL_PARAM_BLD_push_BN(builder, b"priv", scalar)
                and c.OSSL_PARAM_BLD_push_octet_string(builder, b"pub", public_key, len(public_key))
            )
            params = c.OSSL_PARAM_BLD_to_param(builder) if ok else None
            ctx = c.EVP_PKEY_CTX_new_from_name(None, b"SM2", None)
            pkey = ctypes.c_void_p()
            if not (params and ctx) or c.EVP_PKEY_fromdata_init(ctx) != 1:
                raise c.fail("EVP_PKEY_fromdata_init")
            if c.EVP_PKEY_fromdata(ctx, ctypes.byref(pkey), _EVP_PKEY_KEYPAIR, params) != 1:
                raise c.fail("EVP_PKEY_fromdata")
            return pkey
        finally:
            c.EVP_PKEY_CTX_free(ctx)
            c.OSSL_PARAM_free(params)
            c.BN_clear_free(scalar)
            c.OSSL_PARAM_BLD_free(builder)

    def sign(self, private_key: bytes, public_key: bytes, message: bytes, user_id: bytes) -> bytes:
        """64-byte r||s over SM3(Z_A||message); k comes from OpenSSL's DRBG."""
        c = self._c
        pkey = self._pkey(private_key, public_key)
        md_ctx = c.EVP_MD_CTX_new()
        pkey_ctx = c.EVP_PKEY_CTX_new(pkey, None)
        try:
            if not (md_ctx and pkey_ctx) or c.EVP_PKEY_CTX_set1_id(pkey_ctx, user_id, len(user_id)) <= 0:
                raise c.fail("SM2 user id")
            c.EVP_MD_CTX_set_pkey_ctx(md_ctx, pkey_ctx)  # md_ctx uses (and does not free) pkey_ctx
            if c.EVP_DigestSignInit(md_ctx, None, c.EVP_sm3(), None, pkey) != 1:
                raise c.fail("EVP_DigestSignInit")
            der = ctypes.create_string_buffer(80)
            length = ctypes.c_size_t(len(der))
            if c.EVP_DigestSign(md_ctx, der, ctypes.byref(length), message, len(message)) != 1:
                raise c.fail("EVP_DigestSign")
            r, s = decode_dss_signature(der.raw[: length.value])
            return r.to_bytes(32, "big") + s.to_bytes(32, "big")
        finally:
            c.EVP_MD_CTX_free(md_ctx)
            c.EVP_PKEY_CTX_free(pkey_ctx)
            c.EVP_PKEY_free(pkey)


def load(path: str | None = None) -> OpenSSLSM2 | None:
    """The OpenSSL backend, or None (reason in UNAVAILABLE) when no OpenSSL 3 libcrypto with SM2 is found."""
    global UNAVAILABLE
    candidates = [path] if path else ["libcrypto.so.3", ctypes.util.find_library("crypto") or ""]
    for name in filter(None, candidates):
        try:
            backend = OpenSSLSM2(_Library(ctypes.CDLL(name)))
            backend.public_key(b"\x00" * 31 + b"\x01")  # the curve is there and the calls work
        except (OSError, AttributeError, OpenSSLError) as exc:
            UNAVAILABLE = f"{name}: {exc}"
            continue
        UNAVAILABLE = ""
        return backend
    UNAVAILABLE = UNAVAILABLE or "libcrypto not found"
    return None
