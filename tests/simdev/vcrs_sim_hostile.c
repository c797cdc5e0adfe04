// SPDX-License-Identifier: GPL-2.0
/*
 * vcrs_sim: the hostile device. Every Nth request (hostile_every), or with a
 * seed (hostile_seed) each request with probability 1/N, gets one of the
 * misbehaviours enabled in hostile_mask, in turn or at random:
 *
 *   bit 0  used_huge      used length beyond the request's buffers
 *   bit 1  used_zero      used length 0: not even the status
 *   bit 2  bad_status     a status byte no status has (7..255)
 *   bit 3  bogus_session  a created session gets the id of another open one
 *                         (control, create-session answers only)
 *   bit 4  spurious_irq   an interrupt before the answer, with nothing used
 *   bit 5  no_answer      never answered (taken off the ring)
 *   bit 6  wrong_id       answered with a used id that is no head (the
 *                         driver's virtio core marks the queue broken)
 *   bit 7  double_answer  answered twice (the second id is no head any more,
 *                         or already names the driver's next request)
 *   bit 8  used_short     used length one byte short of the writable buffers
 *                         (whose last byte is the status): the device claims
 *                         not to have written all of its answer
 *
 * and three for AKCIPHER data requests only (opcodes 0x400..0x403), whose
 * result length the driver learns from the used length alone:
 *
 *   bit 9  akc_used_long     used length one byte beyond the writable buffers:
 *                            the result claims dst_data_len + 1 bytes
 *   bit 10 akc_wrong_status  the status flipped between success and failure:
 *                            an OK answer gets KEY_REJECTED (VERIFY) or BADMSG
 *                            (the others), a failed one gets OK with nothing
 *                            written (an empty result; VERIFY: a signature
 *                            accepted that the software refused)
 *   bit 11 akc_garbage       ENCRYPT, DECRYPT, SIGN answered OK: the result's
 *                            bytes replaced by random ones (same length); not
 *                            done (not counted) when the request failed
 *
 * After wrong_id or double_answer the queue is served no more until the
 * device is reset: the driver may already reuse what it named, and the device
 * must not write into it. bogus_session is skipped when no other session is
 * open (not counted). A kind that does not fit a request (bogus_session off
 * create-session answers, the akc_* kinds off AKCIPHER data requests) is not
 * picked for it: with no AKCIPHER traffic the akc_* bits change nothing.
 *
 * hostile_queues says where: 1 data queues, 2 the control queue, 3 both (the
 * default). The counts per misbehaviour are in stats ("hostile_<name> N").
 */
#include <linux/prandom.h>

#include "vcrs_sim.h"

const char *const vcrs_sim_hostile_names[VCRS_HOSTILE_KINDS] = {
	"used_huge", "used_zero", "bad_status", "bogus_session",
	"spurious_irq", "no_answer", "wrong_id", "double_answer",
	"used_short", "akc_used_long", "akc_wrong_status", "akc_garbage",
};

static bool vcrs_sim_is_create(u32 opcode)
{
	return opcode == VIRTIO_CRYPTO_CIPHER_CREATE_SESSION ||
	       opcode == VIRTIO_CRYPTO_HASH_CREATE_SESSION ||
	       opcode == VIRTIO_CRYPTO_MAC_CREATE_SESSION ||
	       opcode == VIRTIO_CRYPTO_AEAD_CREATE_SESSION ||
	       opcode == VIRTIO_CRYPTO_AKCIPHER_CREATE_SESSION;
}

/* Whether misbehaviour KIND makes sense for this request. */
static bool vcrs_sim_hostile_fits(int kind, bool is_ctrl, u32 opcode)
{
	switch (kind) {
	case VCRS_HOSTILE_BOGUS_SESSION:
		return is_ctrl && vcrs_sim_is_create(opcode);
	case VCRS_HOSTILE_AKC_USED_LONG:
	case VCRS_HOSTILE_AKC_WRONG_STATUS:
		return !is_ctrl && opcode >= VIRTIO_CRYPTO_AKCIPHER_ENCRYPT &&
		       opcode <= VIRTIO_CRYPTO_AKCIPHER_VERIFY;
	case VCRS_HOSTILE_AKC_GARBAGE:
		return !is_ctrl && opcode >= VIRTIO_CRYPTO_AKCIPHER_ENCRYPT &&
		       opcode <= VIRTIO_CRYPTO_AKCIPHER_SIGN;
	default:
		return true;
	}
}

/*
 * The misbehaviour for the next request (opcode OPCODE, on the control queue
 * or not), or -1 for none. Called under vdpasim.mutex.
 */
int vcrs_sim_hostile_pick(struct vcrs_sim *sim, bool is_ctrl, u32 opcode)
{
	struct vcrs_sim_hostile *h = &sim->hostile;
	int fitting[VCRS_HOSTILE_KINDS], n = 0, kind, i;
	/* Read once: debugfs may change them meanwhile. */
	u32 every = READ_ONCE(h->every), mask = READ_ONCE(h->mask), seed = READ_ONCE(h->seed);

	if (!every || !(mask & GENMASK(VCRS_HOSTILE_KINDS - 1, 0)) ||
	    !(READ_ONCE(h->queues) & (is_ctrl ? 2 : 1)))
		return -1;
	if (seed != h->seeded) {
		prandom_seed_state(&h->rnd, seed);
		h->seeded = seed;
	}
	if (seed ? prandom_u32_state(&h->rnd) % every != 0 : ++h->count % every != 0)
		return -1;
	for (kind = 0; kind < VCRS_HOSTILE_KINDS; kind++)
		if ((mask & BIT(kind)) && vcrs_sim_hostile_fits(kind, is_ctrl, opcode))
			fitting[n++] = kind;
	if (!n)
		return -1;
	i = seed ? prandom_u32_state(&h->rnd) % n : h->turn++ % n;
	kind = fitting[i];
	h->done[kind]++;
	return kind;
}

/* Finds an open session's id other than EXCEPT; false if there is none. */
bool vcrs_sim_hostile_other_session(struct vcrs_sim *sim, u64 except, u64 *other)
{
	void *s;
	int id;

	idr_for_each_entry(&sim->sessions, s, id) {
		if (id != except) {
			*other = id;
			return true;
		}
	}
	return false;
}

/* A status byte no status has. */
u8 vcrs_sim_hostile_status(struct vcrs_sim *sim)
{
	return 7 + prandom_u32_state(&sim->hostile.rnd) % 249;
}

/*
 * The AKCIPHER misbehaviours that change an answer (akc_wrong_status,
 * akc_garbage), applied to request REQ (opcode OPCODE) once it is served.
 * Called under vdpasim.mutex.
 */
void vcrs_sim_hostile_akcipher(struct vcrs_sim *sim, int kind, u32 opcode,
			       struct vcrs_sim_req *req)
{
	u8 first;

	switch (kind) {
	case VCRS_HOSTILE_AKC_WRONG_STATUS:
		if (req->status == VIRTIO_CRYPTO_OK) {
			req->status = opcode == VIRTIO_CRYPTO_AKCIPHER_VERIFY ?
				      VIRTIO_CRYPTO_KEY_REJECTED : VIRTIO_CRYPTO_BADMSG;
		} else {
			req->status = VIRTIO_CRYPTO_OK;
			req->written = 0;
		}
		break;
	case VCRS_HOSTILE_AKC_GARBAGE:
		if (req->status != VIRTIO_CRYPTO_OK || !req->written) {
			sim->hostile.done[kind]--;
			break;
		}
		/* Random bytes, the first one surely not the true one. */
		first = req->in[0];
		prandom_bytes_state(&sim->hostile.rnd, req->in, req->written);
		if (req->in[0] == first)
			req->in[0] ^= 0xff;
		break;
	default:
		break;
	}
}
