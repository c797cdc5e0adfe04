// SPDX-License-Identifier: GPL-2.0

use crate::{wire::*, Bytes};

fn le32(v: u32) -> [u8; 4] {
    v.to_le_bytes()
}

#[test]
fn opcodes_combine_service_and_operation() {
    assert_eq!(op::CIPHER_CREATE_SESSION, 0x0002);
    assert_eq!(op::CIPHER_DESTROY_SESSION, 0x0003);
    assert_eq!(op::HASH_CREATE_SESSION, 0x0102);
    assert_eq!(op::MAC_CREATE_SESSION, 0x0202);
    assert_eq!(op::AEAD_DESTROY_SESSION, 0x0303);
    assert_eq!(op::CIPHER_ENCRYPT, 0x0000);
    assert_eq!(op::CIPHER_DECRYPT, 0x0001);
    assert_eq!(op::AEAD_DECRYPT, 0x0301);
}

#[test]
fn create_cipher_session_encodes_byte_by_byte() {
    let req = CtrlRequest::create_cipher_session(cipher_algo::AES_CBC, 24, Direction::Decrypt);
    let b = req.as_bytes();
    assert_eq!(b.len(), CTRL_REQUEST_LEN);
    let mut want = [0u8; 72];
    want[0..4].copy_from_slice(&le32(0x0002)); // header.opcode
    want[4..8].copy_from_slice(&le32(3)); // header.algo
                                          // header.flag, header.queue_id: zero
    want[16..20].copy_from_slice(&le32(3)); // cipher.algo
    want[20..24].copy_from_slice(&le32(24)); // cipher.keylen
    want[24..28].copy_from_slice(&le32(2)); // cipher.op = DECRYPT
                                            // cipher.padding and the 32 padding bytes of the cipher variant: zero
    want[64..68].copy_from_slice(&le32(1)); // op_type = SYM_OP_CIPHER
                                            // trailing padding: zero
    assert_eq!(b, &want[..]);
}

#[test]
fn destroy_session_encodes_byte_by_byte() {
    let req = CtrlRequest::destroy_cipher_session(0x0102_0304_0506_0708);
    let b = req.as_bytes();
    assert_eq!(b.len(), CTRL_REQUEST_LEN);
    let mut want = [0u8; 72];
    want[0..4].copy_from_slice(&le32(0x0003));
    want[16..24].copy_from_slice(&[8, 7, 6, 5, 4, 3, 2, 1]);
    assert_eq!(b, &want[..]);
}

#[test]
fn cipher_data_request_encodes_byte_by_byte() {
    let req = DataRequest::cipher(
        Direction::Encrypt,
        cipher_algo::AES_CBC,
        0x1_0000_0002,
        16,
        4096,
    );
    let b = req.as_bytes();
    assert_eq!(b.len(), DATA_REQUEST_LEN);
    let mut want = [0u8; 72];
    want[0..4].copy_from_slice(&le32(0x0000)); // opcode CIPHER_ENCRYPT
    want[4..8].copy_from_slice(&le32(3)); // algo
    want[8..16].copy_from_slice(&0x1_0000_0002u64.to_le_bytes()); // session_id
                                                                  // flag, padding: zero
    want[24..28].copy_from_slice(&le32(16)); // iv_len
    want[28..32].copy_from_slice(&le32(4096)); // src_data_len
    want[32..36].copy_from_slice(&le32(4096)); // dst_data_len
                                               // padding: zero up to op_type at 24 + 40
    want[64..68].copy_from_slice(&le32(1)); // op_type = SYM_OP_CIPHER
    assert_eq!(b, &want[..]);

    let dec = DataRequest::cipher(Direction::Decrypt, cipher_algo::AES_CBC, 0, 16, 16);
    assert_eq!(&dec.as_bytes()[0..4], &le32(0x0001));
}

#[test]
fn session_input_parses_success_and_failures() {
    let mut bytes = [0u8; 16];
    bytes[0..8].copy_from_slice(&7u64.to_le_bytes());
    assert_eq!(SessionInput::read_from(&bytes).unwrap().result(), Ok(7));

    bytes[8..12].copy_from_slice(&le32(3)); // NOTSUPP
    assert_eq!(SessionInput::read_from(&bytes).unwrap().result(), Err(-95));
    bytes[8..12].copy_from_slice(&le32(5)); // NOSPC
    assert_eq!(SessionInput::read_from(&bytes).unwrap().result(), Err(-28));
    bytes[8..12].copy_from_slice(&le32(0xdead)); // out of range: an error, never success
    assert_eq!(SessionInput::read_from(&bytes).unwrap().result(), Err(-5));

    assert!(SessionInput::read_from(&bytes[..15]).is_none());
    assert_eq!(SessionInput::unwritten().result(), Err(-5));
}

#[test]
fn statuses_map_to_errnos() {
    let cases = [
        (0, 0),
        (1, -5),
        (2, -74),
        (3, -95),
        (4, -22),
        (5, -28),
        (6, -129),
        (7, -5),
        (255, -5),
    ];
    for (raw, errno) in cases {
        assert_eq!(Status::from_raw(raw).to_errno(), errno, "status {raw}");
    }
}

#[test]
fn answer_lengths_are_judged() {
    // A success must cover every writable byte: result and status (QEMU reports
    // exactly that: the whole in-buffer for data, the session input for a session).
    assert!(answer_len_valid(4097, 4097, true));
    assert!(answer_len_valid(16, 16, true));
    // One byte short: the status (the last byte) was never written.
    assert!(!answer_len_valid(4096, 4097, true));
    assert!(!answer_len_valid(1, 4097, true));
    // Nothing written, or more than there was room for.
    assert!(!answer_len_valid(0, 4097, true));
    assert!(!answer_len_valid(0, 4097, false));
    assert!(!answer_len_valid(4098, 4097, true));
    assert!(!answer_len_valid(u32::MAX, 4097, false));
    // A failure may write only the status.
    assert!(answer_len_valid(1, 4097, false));
    assert!(answer_len_valid(4097, 4097, false));
}

fn raw_config(fields: [u32; 12], max_size: u64) -> [u8; 56] {
    let mut b = [0u8; 56];
    for (i, f) in fields.iter().enumerate() {
        b[i * 4..i * 4 + 4].copy_from_slice(&le32(*f));
    }
    b[48..56].copy_from_slice(&max_size.to_le_bytes());
    b
}

#[test]
fn config_parses_qemu_builtin_backend() {
    // What QEMU 7.2's cryptodev-backend-builtin shows (read in a guest): CIPHER|HASH|MAC|
    // AKCIPHER, AES-CBC, SHA1, RSA, and max_size = LONG_MAX - 24.
    let bytes = raw_config(
        [1, 1, 0x17, 1 << 3, 0, 1 << 2, 0, 0, 0, 64, 512, 1 << 1],
        9_223_372_036_854_775_783,
    );
    let cfg = Config::parse(&RawConfig::read_from(&bytes).unwrap()).unwrap();
    assert!(cfg.hw_ready);
    assert_eq!(cfg.data_queues, 1);
    assert!(cfg.has_cipher(cipher_algo::AES_CBC));
    assert!(!cfg.has_cipher(cipher_algo::AES_ECB));
    assert!(!cfg.has_cipher(cipher_algo::AES_XTS));
    assert!(cfg.has_service(service::HASH));
    assert!(!cfg.has_service(service::AEAD));
    assert_eq!(cfg.key_limit(service::CIPHER), 64);
    assert_eq!(cfg.key_limit(service::AEAD), 64);
    assert_eq!(cfg.key_limit(service::HASH), usize::MAX);
    assert_eq!(cfg.hash_algos, 1 << 2);
    assert_eq!(cfg.max_auth_key_len, 512);
    assert!(cfg.request_fits(1 << 20));
    assert!(cfg.has_service(service::AKCIPHER));
}

#[test]
fn config_high_cipher_mask_and_limits() {
    let bytes = raw_config([0, 300, 1, 0, 1 << 5, 0, 0, 1, 0, 32, 0, 0], 1 << 33);
    let cfg = Config::parse(&RawConfig::read_from(&bytes).unwrap()).unwrap();
    assert!(!cfg.hw_ready);
    // Every data queue is used: the control queue is the one after the last.
    assert_eq!(cfg.data_queues, 300);
    assert!(cfg.has_cipher(37));
    assert!(!cfg.has_cipher(5));
    assert!(!cfg.has_cipher(64));
    assert!(!cfg.has_service(40));
    assert_eq!(cfg.mac_algos, 1 << 32);
    assert!(cfg.request_fits(1 << 33));
    assert!(!cfg.request_fits((1 << 33) + 1));
}

#[test]
fn config_without_data_queues_is_refused() {
    let bytes = raw_config([1, 0, 1, 1 << 3, 0, 0, 0, 0, 0, 64, 0, 0], 0);
    assert_eq!(
        Config::parse(&RawConfig::read_from(&bytes).unwrap()),
        Err(ConfigError::NoDataQueues)
    );
    assert!(RawConfig::read_from(&bytes[..55]).is_none());
}

#[test]
fn config_with_more_data_queues_than_the_limit_is_refused() {
    let config = |queues| raw_config([1, queues, 1, 1 << 3, 0, 0, 0, 0, 0, 64, 0, 0], 4096);
    let parse = |queues| Config::parse(&RawConfig::read_from(&config(queues)).unwrap());
    assert_eq!(parse(MAX_DATA_QUEUES).unwrap().data_queues, MAX_DATA_QUEUES);
    for queues in [MAX_DATA_QUEUES + 1, u32::MAX] {
        assert_eq!(parse(queues), Err(ConfigError::TooManyDataQueues(queues)));
    }
}

#[test]
fn inhdr_parses_status_byte() {
    assert_eq!(InHdr::read_from(&[0]).unwrap().result(), Ok(()));
    assert_eq!(InHdr::read_from(&[2]).unwrap().result(), Err(-74));
    assert_eq!(InHdr::read_from(&[4]).unwrap().result(), Err(-22));
    assert_eq!(InHdr::unwritten().result(), Err(-5));
    assert_eq!(InHdr::unwritten().as_bytes(), &[0xff]);
    assert!(InHdr::read_from(&[]).is_none());
}
