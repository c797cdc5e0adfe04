// SPDX-License-Identifier: GPL-2.0

//! The wire format ([`crate::wire`], plain data without `unsafe`) as bytes: the kernel's
//! [`AsBytes`] (what the driver sends) and [`FromBytes`] (what the device writes) for each
//! structure, and compile-time proof that each one has the size and field offsets of its
//! counterpart in `include/uapi/linux/virtio_crypto.h`, as bindgen sees the target kernel's
//! header. A mismatch fails the module build.

use super::{AsBytes, FromBytes};
use crate::{kernel_api::bindings as b, wire as w};
use core::mem::{offset_of, size_of};

/// The bytes of `value`, exactly as they go on the wire.
pub(crate) fn bytes_of<T: AsBytes>(value: &T) -> &[u8] {
    // SAFETY: `AsBytes` promises every byte of a `T` is initialized; the slice covers exactly
    // `value` and borrows it.
    unsafe { core::slice::from_raw_parts(core::ptr::from_ref(value).cast::<u8>(), size_of::<T>()) }
}

/// Implements `AsBytes` and `FromBytes` for wire structures that are exactly the sum of
/// their fields (asserted: no padding), built only from `Le32`/`Le64` and byte arrays.
macro_rules! plain_wire {
    ($($t:ty => [$($f:ty),+ $(,)?]),+ $(,)?) => {$(
        const _: () = assert!(size_of::<$t>() == 0 $(+ size_of::<$f>())+);
        // SAFETY: `#[repr(C)]` (or transparent) with integer and byte-array fields only, and
        // no padding (the size equals the sum of the field sizes, asserted above): every
        // byte is initialized and every bit pattern is valid; no interior mutability.
        unsafe impl AsBytes for $t {}
        // SAFETY: As above.
        unsafe impl FromBytes for $t {}
    )+};
}

/// Implements `AsBytes` and `FromBytes` for wire structures given by the names of all their
/// fields: each field's size comes from the field itself (its type is not written here,
/// so a change in `wire` cannot make the list stale), each field must be `AsBytes` and
/// `FromBytes` itself, and their sizes must add up to the structure's (asserted), so it has
/// no padding and no field left out.
macro_rules! wire_struct {
    ($($t:ty => { $($f:tt),+ $(,)? }),+ $(,)?) => {$(
        const _: () = {
            const fn field_size<T, F: AsBytes + FromBytes>(_: fn(&T) -> &F) -> usize {
                size_of::<F>()
            }
            assert!(size_of::<$t>() == 0 $(+ field_size::<$t, _>(|v| &v.$f))+);
        };
        // SAFETY: Every field is `AsBytes` and `FromBytes`, and the fields fill the whole
        // structure (the sizes of all of them add up to its size, asserted above): every
        // byte is initialized and every bit pattern is valid; no interior mutability.
        unsafe impl AsBytes for $t {}
        // SAFETY: As above.
        unsafe impl FromBytes for $t {}
    )+};
}

plain_wire! {
    w::Le32 => [u32],
    w::Le64 => [u64],
}

// The wire's integers are one integer each, with its alignment (a newtype of any other
// shape would be caught here, since their field is private to `wire`).
const _: () = assert!(core::mem::align_of::<w::Le32>() == 4 && size_of::<w::Le32>() == 4);
const _: () = assert!(core::mem::align_of::<w::Le64>() == 8 && size_of::<w::Le64>() == 8);

wire_struct! {
    w::CtrlHeader => { opcode, algo, flag, queue_id },
    w::CipherSessionPara => { algo, keylen, op, padding },
    w::MacSessionPara => { algo, hash_result_len, auth_key_len, padding },
    w::SymCreateSessionReq => { cipher, cipher_padding, op_type, padding },
    w::ChainCreateSessionReq => { alg_chain_order, hash_mode, cipher, mac, aad_len, chain_padding, op_type, padding },
    w::HashCreateSessionReq => { algo, hash_result_len, padding },
    w::MacCreateSessionReq => { para, padding },
    w::AeadCreateSessionReq => { algo, key_len, hash_result_len, aad_len, op, para_padding, padding },
    w::AkcipherCreateSessionReq => { algo, keytype, keylen, params, padding },
    w::DestroySessionReq => { session_id, padding },
    w::CtrlRequest<w::SymCreateSessionReq> => { header, body },
    w::CtrlRequest<w::ChainCreateSessionReq> => { header, body },
    w::CtrlRequest<w::HashCreateSessionReq> => { header, body },
    w::CtrlRequest<w::MacCreateSessionReq> => { header, body },
    w::CtrlRequest<w::AeadCreateSessionReq> => { header, body },
    w::CtrlRequest<w::AkcipherCreateSessionReq> => { header, body },
    w::CtrlRequest<w::DestroySessionReq> => { header, body },
    w::SessionInput => { session_id, status, padding },
    w::InHdr => { status },
    w::OpHeader => { opcode, algo, session_id, flag, padding },
    w::CipherPara => { iv_len, src_data_len, dst_data_len, padding },
    w::SymDataReq => { cipher, cipher_padding, op_type, padding },
    w::DataRequest<w::SymDataReq> => { header, body },
    w::HashPara => { src_data_len, hash_result_len },
    w::HashDataReq => { para, padding },
    w::DataRequest<w::HashDataReq> => { header, body },
    w::AeadPara => { iv_len, aad_len, src_data_len, dst_data_len },
    w::AeadDataReq => { para, padding },
    w::DataRequest<w::AeadDataReq> => { header, body },
    w::ChainPara => { iv_len, src_data_len, dst_data_len, cipher_start_src_offset, len_to_cipher, hash_start_src_offset, len_to_hash, aad_len, hash_result_len, reserved },
    w::ChainDataReq => { chain, op_type, padding },
    w::DataRequest<w::ChainDataReq> => { header, body },
    w::AkcipherPara => { src_data_len, dst_data_len },
    w::AkcipherDataReq => { para, padding },
    w::DataRequest<w::AkcipherDataReq> => { header, body },
    w::RawConfig => { status, max_dataqueues, crypto_services, cipher_algo_l, cipher_algo_h, hash_algo, mac_algo_l, mac_algo_h, aead_algo, max_cipher_key_len, max_auth_key_len, akcipher_algo, max_size },
}

/// Asserts equal sizes, and equal offsets for each `ours => theirs` field path.
macro_rules! same_layout {
    ($ours:ty, $theirs:ty, { $($of:ident).+ => $($tf:ident).+ $(, $($of2:ident).+ => $($tf2:ident).+)* $(,)? }) => {
        const _: () = assert!(size_of::<$ours>() == size_of::<$theirs>());
        const _: () = assert!(offset_of!($ours, $($of).+) == offset_of!($theirs, $($tf).+));
        $(const _: () = assert!(offset_of!($ours, $($of2).+) == offset_of!($theirs, $($tf2).+));)*
    };
}

same_layout!(w::CtrlHeader, b::virtio_crypto_ctrl_header, {
    opcode => opcode, algo => algo, flag => flag, queue_id => queue_id,
});

same_layout!(w::CipherSessionPara, b::virtio_crypto_cipher_session_para, {
    algo => algo, keylen => keylen, op => op, padding => padding,
});

same_layout!(w::SymCreateSessionReq, b::virtio_crypto_sym_create_session_req, {
    cipher => u.cipher.para,
    cipher.algo => u.cipher.para.algo,
    cipher.keylen => u.cipher.para.keylen,
    cipher.op => u.cipher.para.op,
    cipher_padding => u.cipher.padding,
    op_type => op_type,
    padding => padding,
});

same_layout!(w::DestroySessionReq, b::virtio_crypto_destroy_session_req, {
    session_id => session_id, padding => padding,
});

same_layout!(w::CtrlRequest<w::SymCreateSessionReq>, b::virtio_crypto_op_ctrl_req, {
    header => header,
    body => u.sym_create_session,
    body.cipher.keylen => u.sym_create_session.u.cipher.para.keylen,
    body.op_type => u.sym_create_session.op_type,
});

same_layout!(w::CtrlRequest<w::DestroySessionReq>, b::virtio_crypto_op_ctrl_req, {
    header.opcode => header.opcode,
    body.session_id => u.destroy_session.session_id,
});

same_layout!(w::SessionInput, b::virtio_crypto_session_input, {
    session_id => session_id, status => status, padding => padding,
});

same_layout!(w::InHdr, b::virtio_crypto_inhdr, { status => status });

same_layout!(w::OpHeader, b::virtio_crypto_op_header, {
    opcode => opcode, algo => algo, session_id => session_id, flag => flag, padding => padding,
});

same_layout!(w::CipherPara, b::virtio_crypto_cipher_para, {
    iv_len => iv_len, src_data_len => src_data_len, dst_data_len => dst_data_len,
    padding => padding,
});

same_layout!(w::SymDataReq, b::virtio_crypto_sym_data_req, {
    cipher => u.cipher.para,
    cipher.iv_len => u.cipher.para.iv_len,
    cipher.src_data_len => u.cipher.para.src_data_len,
    cipher.dst_data_len => u.cipher.para.dst_data_len,
    cipher_padding => u.cipher.padding,
    op_type => op_type,
    padding => padding,
});

same_layout!(w::DataRequest<w::SymDataReq>, b::virtio_crypto_op_data_req, {
    header => header,
    header.session_id => header.session_id,
    body => u.sym_req,
    body.op_type => u.sym_req.op_type,
});

same_layout!(w::HashPara, b::virtio_crypto_hash_para, {
    src_data_len => src_data_len, hash_result_len => hash_result_len,
});

same_layout!(w::HashDataReq, b::virtio_crypto_hash_data_req, {
    para.src_data_len => para.src_data_len,
    para.hash_result_len => para.hash_result_len,
    padding => padding,
});

// A MAC request is a hash request under another opcode.
same_layout!(w::HashDataReq, b::virtio_crypto_mac_data_req, {
    para.src_data_len => para.hash.src_data_len,
    para.hash_result_len => para.hash.hash_result_len,
    padding => padding,
});

same_layout!(w::DataRequest<w::HashDataReq>, b::virtio_crypto_op_data_req, {
    header => header,
    body => u.hash_req,
    body.para.src_data_len => u.hash_req.para.src_data_len,
});

same_layout!(w::AeadDataReq, b::virtio_crypto_aead_data_req, {
    para.iv_len => para.iv_len,
    para.aad_len => para.aad_len,
    para.src_data_len => para.src_data_len,
    para.dst_data_len => para.dst_data_len,
    padding => padding,
});

same_layout!(w::DataRequest<w::AeadDataReq>, b::virtio_crypto_op_data_req, {
    header => header,
    body => u.aead_req,
});

same_layout!(w::AkcipherDataReq, b::virtio_crypto_akcipher_data_req, {
    para.src_data_len => para.src_data_len,
    para.dst_data_len => para.dst_data_len,
    padding => padding,
});

same_layout!(w::DataRequest<w::AkcipherDataReq>, b::virtio_crypto_op_data_req, {
    header => header,
    body => u.akcipher_req,
});

same_layout!(w::ChainDataReq, b::virtio_crypto_sym_data_req, {
    chain => u.chain.para,
    chain.iv_len => u.chain.para.iv_len,
    chain.src_data_len => u.chain.para.src_data_len,
    chain.dst_data_len => u.chain.para.dst_data_len,
    chain.cipher_start_src_offset => u.chain.para.cipher_start_src_offset,
    chain.len_to_cipher => u.chain.para.len_to_cipher,
    chain.hash_start_src_offset => u.chain.para.hash_start_src_offset,
    chain.len_to_hash => u.chain.para.len_to_hash,
    chain.aad_len => u.chain.para.aad_len,
    chain.hash_result_len => u.chain.para.hash_result_len,
    chain.reserved => u.chain.para.reserved,
    op_type => op_type,
    padding => padding,
});

same_layout!(w::DataRequest<w::ChainDataReq>, b::virtio_crypto_op_data_req, {
    header => header,
    body => u.sym_req,
});

same_layout!(w::RawConfig, b::virtio_crypto_config, {
    status => status,
    max_dataqueues => max_dataqueues,
    crypto_services => crypto_services,
    cipher_algo_l => cipher_algo_l,
    cipher_algo_h => cipher_algo_h,
    hash_algo => hash_algo,
    mac_algo_l => mac_algo_l,
    mac_algo_h => mac_algo_h,
    aead_algo => aead_algo,
    max_cipher_key_len => max_cipher_key_len,
    max_auth_key_len => max_auth_key_len,
    akcipher_algo => akcipher_algo,
    max_size => max_size,
});

// SAFETY: Exactly `struct virtio_crypto_config` (asserted above), the crypto device's whole
// configuration space, which is all this driver binds.
unsafe impl super::virtio::ConfigSpace for w::RawConfig {}

same_layout!(w::MacSessionPara, b::virtio_crypto_mac_session_para, {
    algo => algo, hash_result_len => hash_result_len, auth_key_len => auth_key_len,
    padding => padding,
});

same_layout!(w::ChainCreateSessionReq, b::virtio_crypto_sym_create_session_req, {
    alg_chain_order => u.chain.para.alg_chain_order,
    hash_mode => u.chain.para.hash_mode,
    cipher => u.chain.para.cipher_param,
    mac => u.chain.para.u.mac_param,
    aad_len => u.chain.para.aad_len,
    chain_padding => u.chain.para.padding,
    op_type => op_type,
    padding => padding,
});

same_layout!(w::HashCreateSessionReq, b::virtio_crypto_hash_create_session_req, {
    algo => para.algo, hash_result_len => para.hash_result_len,
});

same_layout!(w::MacCreateSessionReq, b::virtio_crypto_mac_create_session_req, {
    para => para, padding => padding,
});

same_layout!(w::AeadCreateSessionReq, b::virtio_crypto_aead_create_session_req, {
    algo => para.algo,
    key_len => para.key_len,
    hash_result_len => para.hash_result_len,
    aad_len => para.aad_len,
    op => para.op,
    para_padding => para.padding,
    padding => padding,
});

same_layout!(w::AkcipherCreateSessionReq, b::virtio_crypto_akcipher_create_session_req, {
    algo => para.algo,
    keytype => para.keytype,
    keylen => para.keylen,
    params => para.u.rsa.padding_algo,
    padding => padding,
});

same_layout!(w::CtrlRequest<w::HashCreateSessionReq>, b::virtio_crypto_op_ctrl_req, {
    header => header, body => u.hash_create_session,
});

same_layout!(w::CtrlRequest<w::MacCreateSessionReq>, b::virtio_crypto_op_ctrl_req, {
    header => header, body => u.mac_create_session,
});

same_layout!(w::CtrlRequest<w::AeadCreateSessionReq>, b::virtio_crypto_op_ctrl_req, {
    header => header, body => u.aead_create_session,
});

same_layout!(w::CtrlRequest<w::AkcipherCreateSessionReq>, b::virtio_crypto_op_ctrl_req, {
    header => header, body => u.akcipher_create_session,
});

same_layout!(w::CtrlRequest<w::ChainCreateSessionReq>, b::virtio_crypto_op_ctrl_req, {
    header => header, body => u.sym_create_session,
});

// The protocol's numbers, against the header's macros.
const _: () = assert!(w::op::CIPHER_CREATE_SESSION == b::VIRTIO_CRYPTO_CIPHER_CREATE_SESSION);
const _: () = assert!(w::op::CIPHER_DESTROY_SESSION == b::VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION);
const _: () = assert!(w::op::CIPHER_ENCRYPT == b::VIRTIO_CRYPTO_CIPHER_ENCRYPT);
const _: () = assert!(w::op::CIPHER_DECRYPT == b::VIRTIO_CRYPTO_CIPHER_DECRYPT);
const _: () = assert!(w::cipher_algo::AES_CBC == b::VIRTIO_CRYPTO_CIPHER_AES_CBC);
const _: () = assert!(w::cipher_algo::AES_XTS == b::VIRTIO_CRYPTO_CIPHER_AES_XTS);
const _: () = assert!(w::sym_op::CIPHER == b::VIRTIO_CRYPTO_SYM_OP_CIPHER);
const _: () = assert!(w::Direction::Encrypt as u32 == b::VIRTIO_CRYPTO_OP_ENCRYPT);
const _: () = assert!(w::Direction::Decrypt as u32 == b::VIRTIO_CRYPTO_OP_DECRYPT);
const _: () = assert!(w::STATUS_HW_READY == b::VIRTIO_CRYPTO_S_HW_READY);
const _: () = assert!(w::sym_op::ALGORITHM_CHAINING == b::VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING);
const _: () = assert!(w::op::HASH_CREATE_SESSION == b::VIRTIO_CRYPTO_HASH_CREATE_SESSION);
const _: () = assert!(w::op::HASH_DESTROY_SESSION == b::VIRTIO_CRYPTO_HASH_DESTROY_SESSION);
const _: () = assert!(w::op::MAC_CREATE_SESSION == b::VIRTIO_CRYPTO_MAC_CREATE_SESSION);
const _: () = assert!(w::op::MAC_DESTROY_SESSION == b::VIRTIO_CRYPTO_MAC_DESTROY_SESSION);
const _: () = assert!(w::op::AEAD_CREATE_SESSION == b::VIRTIO_CRYPTO_AEAD_CREATE_SESSION);
const _: () = assert!(w::op::AEAD_DESTROY_SESSION == b::VIRTIO_CRYPTO_AEAD_DESTROY_SESSION);
const _: () = assert!(w::op::AKCIPHER_CREATE_SESSION == b::VIRTIO_CRYPTO_AKCIPHER_CREATE_SESSION);
const _: () = assert!(w::op::AKCIPHER_DESTROY_SESSION == b::VIRTIO_CRYPTO_AKCIPHER_DESTROY_SESSION);
const _: () = assert!(w::hash_algo::SHA_256 == b::VIRTIO_CRYPTO_HASH_SHA_256);
const _: () = assert!(w::hash_algo::SHA3_512 == b::VIRTIO_CRYPTO_HASH_SHA3_512);
const _: () = assert!(w::mac_algo::HMAC_SHA_512 == b::VIRTIO_CRYPTO_MAC_HMAC_SHA_512);
const _: () = assert!(w::mac_algo::CMAC_AES == b::VIRTIO_CRYPTO_MAC_CMAC_AES);
const _: () = assert!(w::mac_algo::XCBC_AES == b::VIRTIO_CRYPTO_MAC_XCBC_AES);
const _: () = assert!(w::aead_algo::CHACHA20_POLY1305 == b::VIRTIO_CRYPTO_AEAD_CHACHA20_POLY1305);
const _: () = assert!(w::akcipher_algo::RSA == b::VIRTIO_CRYPTO_AKCIPHER_RSA);
const _: () = assert!(w::op::AKCIPHER_ENCRYPT == b::VIRTIO_CRYPTO_AKCIPHER_ENCRYPT);
const _: () = assert!(w::op::AKCIPHER_DECRYPT == b::VIRTIO_CRYPTO_AKCIPHER_DECRYPT);
const _: () = assert!(w::op::AKCIPHER_SIGN == b::VIRTIO_CRYPTO_AKCIPHER_SIGN);
const _: () = assert!(w::op::AKCIPHER_VERIFY == b::VIRTIO_CRYPTO_AKCIPHER_VERIFY);
const _: () = assert!(w::akcipher_algo::RSA_PKCS1_PADDING == b::VIRTIO_CRYPTO_RSA_PKCS1_PADDING);
const _: () =
    assert!(w::akcipher_algo::KEY_TYPE_PRIVATE == b::VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PRIVATE);
const _: () = assert!(
    w::chain_order::CIPHER_THEN_HASH == b::VIRTIO_CRYPTO_SYM_ALG_CHAIN_ORDER_CIPHER_THEN_HASH
);
const _: () = assert!(w::hash_mode::AUTH == b::VIRTIO_CRYPTO_SYM_HASH_MODE_AUTH);
