/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcrs_sim: a simulated virtio crypto device on the kernel's vDPA simulator
 * core, for testing drivers. It parses requests with the kernel's own
 * include/uapi/linux/virtio_crypto.h (independently of the driver under test)
 * and serves them with the kernel's synchronous software implementations.
 */
#ifndef VCRS_SIM_H
#define VCRS_SIM_H

#include <crypto/akcipher.h>
#include <crypto/sig.h>
#include <linux/debugfs.h>
#include <linux/idr.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/vdpa.h>
#include <uapi/linux/virtio_crypto.h>

#include "vdpa_sim.h"

/* More than 64 and than any guest's CPUs: a device with many queues is tested. */
#define VCRS_SIM_MAX_DATAQ 80
#define VCRS_SIM_NUM_OPCODES 8

/* Everything a device offers, fixed when the device is added. */
struct vcrs_sim_params {
	u32 data_queues;
	u32 queue_size;
	u32 services;
	u32 cipher_l, cipher_h, hash, mac_l, mac_h, aead;
	u32 akcipher;		/* akcipher_algo: bits 1 << algo */
	u32 ecdsa_algo;		/* the algo number of ECDSA: 2 (virtio 1.3) or 3 (Linux uapi) */
	u32 max_cipher_key_len, max_auth_key_len;
	u32 max_akcipher_key_len;
	u8 bad_key_status;	/* status of a create-session whose key the software refuses */
	u64 max_size;
	u32 max_sessions;
	bool whole_blocks;	/* refuse cipher lengths that are not whole blocks */
	bool chaining;		/* serve algorithm-chaining sessions */
	/* A hostile configuration space: what is reported, not what is served. */
	bool report_data_queues;	/* report reported_data_queues as max_dataqueues */
	u32 reported_data_queues;	/* any count, also more than data_queues */
	bool report_max_size;	/* report reported_max_size instead of max_size */
	u64 reported_max_size;
	u32 status_extra;	/* bits set in status besides HW_READY */
};

/* Faults, switchable at run time through debugfs. */
struct vcrs_sim_faults {
	u32 fail_opcode;	/* opcode to fail, with fail_status ... */
	u32 fail_status;
	u32 fail_every;		/* ... every Nth such request (0: never) */
	u32 fail_chain;		/* 1: only ALGORITHM_CHAINING requests of fail_opcode */
	u32 delay_ms;		/* delay before completing each request */
	u32 lose_every;		/* never complete every Nth data request */
	u32 lose_ctrl;		/* never complete control requests (0: off) */
	u32 lose_ctrl_next;	/* never complete the next N control requests */
	u32 used_len;		/* report this used length (0: the true one) */
	u32 bad_status;		/* write this status byte instead (0: off) */
	u32 hw_ready;		/* the HW_READY bit */
};

/* The hostile device's misbehaviours (vcrs_sim_hostile.c). */
enum vcrs_sim_hostile_kind {
	VCRS_HOSTILE_USED_HUGE,
	VCRS_HOSTILE_USED_ZERO,
	VCRS_HOSTILE_BAD_STATUS,
	VCRS_HOSTILE_BOGUS_SESSION,
	VCRS_HOSTILE_SPURIOUS_IRQ,
	VCRS_HOSTILE_NO_ANSWER,
	VCRS_HOSTILE_WRONG_ID,
	VCRS_HOSTILE_DOUBLE_ANSWER,
	VCRS_HOSTILE_USED_SHORT,
	VCRS_HOSTILE_AKC_USED_LONG,	/* AKCIPHER data requests only */
	VCRS_HOSTILE_AKC_WRONG_STATUS,
	VCRS_HOSTILE_AKC_GARBAGE,
	VCRS_HOSTILE_KINDS,
};

/* Hostile mode, switchable at run time through debugfs. */
struct vcrs_sim_hostile {
	u32 mask;		/* misbehaviours enabled (bits of vcrs_sim_hostile_kind) */
	u32 every;		/* one request in N misbehaves (0: off) */
	u32 seed;		/* 0: every Nth, in turn; else at random from this seed */
	u32 queues;		/* 1: data queues, 2: the control queue, 3: both */
	u32 seeded;		/* the seed rnd was seeded with */
	u32 count, turn;
	struct rnd_state rnd;
	u64 done[VCRS_HOSTILE_KINDS];
	/* Queues no longer served (until a reset) after wrong_id or double_answer. */
	bool stopped[VCRS_SIM_MAX_DATAQ + 1];
};

/* Counters, read through debugfs. */
struct vcrs_sim_stats {
	u64 requests[VCRS_SIM_MAX_DATAQ + 1];
	u64 by_opcode[5][VCRS_SIM_NUM_OPCODES];	/* [service][op] */
	u64 bytes;
	u64 errors;
	u64 lost;
	u32 sessions_open;
	/* AKCIPHER (service 4): sessions, data requests, verifications */
	u32 akcipher_sessions_open;
	u64 akcipher_sessions_created;
	u64 akcipher_requests;
	u64 akcipher_verify_ok, akcipher_verify_failed;
};

enum vcrs_sim_session_kind {
	VCRS_SESSION_CIPHER,
	VCRS_SESSION_HASH,
	VCRS_SESSION_MAC,
	VCRS_SESSION_AEAD,
	VCRS_SESSION_CHAIN,
	VCRS_SESSION_AKCIPHER,
};

struct vcrs_sim_session {
	enum vcrs_sim_session_kind kind;
	u32 algo;		/* cipher, hash, mac or aead algorithm */
	u32 op;			/* VIRTIO_CRYPTO_OP_* for cipher/aead/chain */
	u32 result_len;		/* hash/MAC/tag length */
	u32 aad_len;
	u32 chain_order, hash_mode, hash_algo;
	struct crypto_skcipher *skcipher;
	struct crypto_shash *shash;
	struct crypto_aead *aead;
	/*
	 * AKCIPHER: akc encrypts and decrypts (RSA: "rsa-generic" or
	 * "pkcs1pad(rsa-generic)"), sig signs and verifies (PKCS#1 v1.5 RSA,
	 * ECDSA); either may be NULL, the operation is then NOTSUPP.
	 */
	struct crypto_akcipher *akc;
	struct crypto_sig *sig;
	u32 key_size;		/* RSA: the modulus in bytes, the size of every result */
	u32 soft_size;		/* RSA: what the software writes (key_size in whole limbs) */
	bool raw;		/* RSA: no padding */
};

struct vcrs_sim {
	struct vdpasim vdpasim;	/* first: the core allocates us through it */
	struct vdpa_config_ops ops;	/* the core's ops, with our overrides */
	const struct vdpa_config_ops *core_ops;
	struct vdpa_callback config_cb;
	struct vcrs_sim_params params;
	struct vcrs_sim_faults faults;
	struct vcrs_sim_hostile hostile;
	struct vcrs_sim_stats stats;
	u32 fault_count;	/* requests seen by fail_every */
	u32 data_count;		/* data requests seen by lose_every */
	struct idr sessions;	/* protected by vdpasim.mutex */
	struct dentry *debugfs;
};

static inline struct vcrs_sim *sim_of(struct vdpasim *vdpasim)
{
	return container_of(vdpasim, struct vcrs_sim, vdpasim);
}

/* One request taken off a queue: its buffers, flattened. */
struct vcrs_sim_req {
	u8 *out;		/* all device-readable bytes */
	size_t out_len;
	u8 *in;			/* all device-writable bytes except the status */
	size_t in_len;
	u8 status;
	size_t written;		/* bytes of `in` produced */
};

/* vcrs_sim_ctrl.c */
void vcrs_sim_handle_ctrl(struct vcrs_sim *sim, struct vcrs_sim_req *req);
void vcrs_sim_destroy_sessions(struct vcrs_sim *sim);
void vcrs_sim_forget_session(struct vcrs_sim *sim, u64 id);

/* vcrs_sim_data.c */
void vcrs_sim_handle_data(struct vcrs_sim *sim, struct vcrs_sim_req *req);

/* vcrs_sim_hostile.c */
extern const char *const vcrs_sim_hostile_names[VCRS_HOSTILE_KINDS];
int vcrs_sim_hostile_pick(struct vcrs_sim *sim, bool is_ctrl, u32 opcode);
bool vcrs_sim_hostile_other_session(struct vcrs_sim *sim, u64 except, u64 *other);
u8 vcrs_sim_hostile_status(struct vcrs_sim *sim);
void vcrs_sim_hostile_akcipher(struct vcrs_sim *sim, int kind, u32 opcode,
			       struct vcrs_sim_req *req);

/* vcrs_sim_debugfs.c */
void vcrs_sim_debugfs_init(struct vcrs_sim *sim, const char *name);
void vcrs_sim_debugfs_exit(struct vcrs_sim *sim);
void vcrs_sim_debugfs_module_init(void);
void vcrs_sim_debugfs_module_exit(void);
void vcrs_sim_config_changed(struct vcrs_sim *sim);

#endif
