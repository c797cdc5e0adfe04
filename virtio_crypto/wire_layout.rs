// SPDX-License-Identifier: GPL-2.0

//! Compile-time proof that every structure in [`crate::wire`] has the size and field offsets
//! of its counterpart in `include/uapi/linux/virtio_crypto.h`, as bindgen sees the target
//! kernel's header. A mismatch fails the module build.

use crate::{sys::bindings as b, wire as w};
use core::mem::{offset_of, size_of};

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
