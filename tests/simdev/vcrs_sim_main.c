// SPDX-License-Identifier: GPL-2.0
/*
 * vcrs_sim: module, vDPA management device, and the queue worker.
 *
 *   modprobe vdpa_sim; modprobe virtio_vdpa; insmod vcrs_sim.ko [params]
 *   vdpa dev add mgmtdev vdpasim_crypto name crypto0
 *
 * The module parameters are read when a device is added, so each device can
 * offer something different.
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vringh.h>
#include <uapi/linux/virtio_ids.h>
#include <uapi/linux/virtio_ring.h>

#include "vcrs_sim.h"

/* Masks: every algorithm the simulator implements. */
#define ALL_SERVICES (BIT(VIRTIO_CRYPTO_SERVICE_CIPHER) | BIT(VIRTIO_CRYPTO_SERVICE_HASH) | \
		      BIT(VIRTIO_CRYPTO_SERVICE_MAC) | BIT(VIRTIO_CRYPTO_SERVICE_AEAD) | \
		      BIT(VIRTIO_CRYPTO_SERVICE_AKCIPHER))
#define ALL_CIPHERS (BIT(VIRTIO_CRYPTO_CIPHER_AES_ECB) | BIT(VIRTIO_CRYPTO_CIPHER_AES_CBC) | \
		     BIT(VIRTIO_CRYPTO_CIPHER_AES_CTR) | BIT(VIRTIO_CRYPTO_CIPHER_AES_XTS) | \
		     BIT(VIRTIO_CRYPTO_CIPHER_3DES_ECB) | BIT(VIRTIO_CRYPTO_CIPHER_3DES_CBC) | \
		     BIT(VIRTIO_CRYPTO_CIPHER_3DES_CTR))
#define ALL_HASHES (GENMASK(VIRTIO_CRYPTO_HASH_SHA3_512, VIRTIO_CRYPTO_HASH_MD5))
#define ALL_MACS (GENMASK(VIRTIO_CRYPTO_MAC_HMAC_SHA_512, VIRTIO_CRYPTO_MAC_HMAC_MD5) | \
		  BIT(VIRTIO_CRYPTO_MAC_CMAC_AES))
#define ALL_MACS_H (BIT(VIRTIO_CRYPTO_MAC_XCBC_AES - 32))
#define ALL_AEADS (BIT(VIRTIO_CRYPTO_AEAD_GCM) | BIT(VIRTIO_CRYPTO_AEAD_CCM) | \
		   BIT(VIRTIO_CRYPTO_AEAD_CHACHA20_POLY1305))

static unsigned int data_queues = 1;
module_param(data_queues, uint, 0644);
MODULE_PARM_DESC(data_queues, "Data queues of the next device (1..80)");
static unsigned int queue_size = 256;
module_param(queue_size, uint, 0644);
MODULE_PARM_DESC(queue_size, "Largest queue size offered (2..256)");
/*
 * AEAD and chaining are opt-in (services=15 chaining=1): the self-tests of
 * their 15 algorithms take a minute and more under TCG, which every device
 * added for another service's test would pay. AKCIPHER is opt-in too (bit 4,
 * services=23 or 31): the tests that count requests exactly count none of it.
 */
static unsigned int services = ALL_SERVICES & ~(BIT(VIRTIO_CRYPTO_SERVICE_AEAD) |
						BIT(VIRTIO_CRYPTO_SERVICE_AKCIPHER));
module_param(services, uint, 0644);
MODULE_PARM_DESC(services, "crypto_services mask (default: cipher, hash, MAC)");
static bool chaining;
module_param(chaining, bool, 0644);
MODULE_PARM_DESC(chaining, "Serve algorithm-chaining sessions (default: refuse them with NOTSUPP)");
static unsigned int cipher_l = ALL_CIPHERS;
module_param(cipher_l, uint, 0644);
static unsigned int cipher_h;
module_param(cipher_h, uint, 0644);
static unsigned int hash = ALL_HASHES;
module_param(hash, uint, 0644);
static unsigned int mac_l = ALL_MACS;
module_param(mac_l, uint, 0644);
static unsigned int mac_h = ALL_MACS_H;
module_param(mac_h, uint, 0644);
static unsigned int aead = ALL_AEADS;
module_param(aead, uint, 0644);
MODULE_PARM_DESC(aead, "Algorithm masks: cipher_l/h, hash, mac_l/h, aead as in the config space");
/*
 * AKCIPHER: the algorithm numbers of ECDSA differ: 2 in the virtio
 * specification (1.3), 3 in Linux's include/uapi/linux/virtio_crypto.h (where
 * 2 is DSA). ecdsa_algo_id says which one the device takes and advertises.
 */
static int akcipher_algos = -1;
module_param(akcipher_algos, int, 0644);
MODULE_PARM_DESC(akcipher_algos,
		 "akcipher_algo mask (default -1: RSA and ECDSA, 1 << 1 | 1 << ecdsa_algo_id)");
static unsigned int ecdsa_algo_id = 2;
module_param(ecdsa_algo_id, uint, 0644);
MODULE_PARM_DESC(ecdsa_algo_id, "ECDSA's algo number: 2 (virtio 1.3, default) or 3 (Linux uapi)");
static unsigned int max_akcipher_key_len = 4096;
module_param(max_akcipher_key_len, uint, 0644);
MODULE_PARM_DESC(max_akcipher_key_len, "Longest AKCIPHER key in bytes (a longer one: ERR)");
static unsigned int akc_bad_key_status = VIRTIO_CRYPTO_ERR;
module_param(akc_bad_key_status, uint, 0644);
MODULE_PARM_DESC(akc_bad_key_status,
		 "Status of an AKCIPHER session whose key the software refuses (default 1, ERR; 6: KEY_REJECTED)");
static unsigned int max_cipher_key_len = 64;
module_param(max_cipher_key_len, uint, 0644);
static unsigned int max_auth_key_len = 512;
module_param(max_auth_key_len, uint, 0644);
static unsigned long max_size = 4 << 20;
module_param(max_size, ulong, 0644);
MODULE_PARM_DESC(max_size, "Largest request content in bytes (at most 4 MiB)");
static unsigned int max_sessions = 256;
module_param(max_sessions, uint, 0644);
static bool ready_at_start = true;
module_param(ready_at_start, bool, 0644);
MODULE_PARM_DESC(ready_at_start, "HW_READY of the next device when it is created");
static bool whole_blocks = true;
module_param(whole_blocks, bool, 0644);
MODULE_PARM_DESC(whole_blocks, "Refuse cipher lengths that are not whole blocks (as QEMU does)");
/* A hostile configuration space: values the device does not live up to. */
static bool report_data_queues;
module_param(report_data_queues, bool, 0644);
static unsigned int reported_data_queues;
module_param(reported_data_queues, uint, 0644);
MODULE_PARM_DESC(reported_data_queues,
		 "max_dataqueues to report when report_data_queues is set (any value)");
static bool report_max_size;
module_param(report_max_size, bool, 0644);
static unsigned long reported_max_size;
module_param(reported_max_size, ulong, 0644);
MODULE_PARM_DESC(reported_max_size, "max_size to report when report_max_size is set (any value)");
static unsigned int status_extra;
module_param(status_extra, uint, 0644);
MODULE_PARM_DESC(status_extra, "Bits to set in the status field besides HW_READY");

/* Largest flattened request: content plus headers, IVs, keys and tags. */
#define VCRS_SIM_MAX_REQ ((4 << 20) + 4096)

static void vcrs_sim_get_config(struct vdpasim *vdpasim, void *config)
{
	struct vcrs_sim *sim = sim_of(vdpasim);
	struct virtio_crypto_config *c = config;
	struct vcrs_sim_params *p = &sim->params;

	memset(c, 0, sizeof(*c));
	c->status = cpu_to_le32((sim->faults.hw_ready ? VIRTIO_CRYPTO_S_HW_READY : 0) |
				(p->status_extra & ~VIRTIO_CRYPTO_S_HW_READY));
	c->max_dataqueues = cpu_to_le32(p->report_data_queues ? p->reported_data_queues :
							      p->data_queues);
	c->crypto_services = cpu_to_le32(p->services);
	c->cipher_algo_l = cpu_to_le32(p->cipher_l);
	c->cipher_algo_h = cpu_to_le32(p->cipher_h);
	c->hash_algo = cpu_to_le32(p->hash);
	c->mac_algo_l = cpu_to_le32(p->mac_l);
	c->mac_algo_h = cpu_to_le32(p->mac_h);
	c->aead_algo = cpu_to_le32(p->aead);
	c->akcipher_algo = cpu_to_le32(p->akcipher);
	c->max_cipher_key_len = cpu_to_le32(p->max_cipher_key_len);
	c->max_auth_key_len = cpu_to_le32(p->max_auth_key_len);
	c->max_size = cpu_to_le64(p->report_max_size ? p->reported_max_size : p->max_size);
}

/* Is this data request an ALGORITHM_CHAINING one (a CIPHER opcode with that op_type)? */
static bool vcrs_sim_is_chained(const struct vcrs_sim_req *req, u32 opcode)
{
	const struct virtio_crypto_op_data_req *d = (const void *)req->out;

	if (opcode != VIRTIO_CRYPTO_CIPHER_ENCRYPT && opcode != VIRTIO_CRYPTO_CIPHER_DECRYPT)
		return false;
	if (req->out_len < sizeof(*d))
		return false;
	return le32_to_cpu(d->u.sym_req.op_type) == VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING;
}

/*
 * Is this request due for an injected failure? Its opcode must be fail_opcode; with
 * fail_chain set, it must also be a chained data request (chaining shares the CIPHER
 * opcodes with plain cipher requests, which then pass).
 */
static bool vcrs_sim_fault_due(struct vcrs_sim *sim, const struct vcrs_sim_req *req,
			       bool is_ctrl, u32 opcode)
{
	struct vcrs_sim_faults *f = &sim->faults;

	if (!f->fail_every || opcode != f->fail_opcode)
		return false;
	if (f->fail_chain && (is_ctrl || !vcrs_sim_is_chained(req, opcode)))
		return false;
	return ++sim->fault_count % f->fail_every == 0;
}

static void vcrs_sim_count(struct vcrs_sim *sim, unsigned int qidx, u32 opcode)
{
	u32 service = opcode >> 8, op = opcode & 0xff;

	sim->stats.requests[min_t(unsigned int, qidx, VCRS_SIM_MAX_DATAQ)]++;
	if (service < 5 && op < VCRS_SIM_NUM_OPCODES)
		sim->stats.by_opcode[service][op]++;
	if (qidx < sim->params.data_queues && opcode >= VIRTIO_CRYPTO_AKCIPHER_ENCRYPT &&
	    opcode <= VIRTIO_CRYPTO_AKCIPHER_VERIFY)
		sim->stats.akcipher_requests++;
}

/*
 * Takes one request off queue qidx, serves it and completes it. Returns false
 * when the queue is empty.
 */
static bool vcrs_sim_handle_one(struct vcrs_sim *sim, unsigned int qidx)
{
	struct vdpasim_virtqueue *vq = &sim->vdpasim.vqs[qidx];
	bool is_ctrl = qidx == sim->params.data_queues;
	struct vcrs_sim_req req = { .status = VIRTIO_CRYPTO_ERR };
	size_t in_total, used;
	u32 opcode = ~0u;
	int hostile = -1;
	ssize_t n;
	int ret;

	ret = vringh_getdesc_iotlb(&vq->vring, &vq->out_iov, &vq->in_iov, &vq->head, GFP_KERNEL);
	if (ret != 1)
		return false;

	req.out_len = vringh_kiov_length(&vq->out_iov);
	in_total = vringh_kiov_length(&vq->in_iov);
	if (in_total < 1) {
		/* Nowhere to put a status: complete with nothing written. */
		sim->stats.errors++;
		vringh_complete_iotlb(&vq->vring, vq->head, 0);
		return true;
	}
	req.in_len = in_total - 1;
	if (req.out_len > VCRS_SIM_MAX_REQ || req.in_len > VCRS_SIM_MAX_REQ)
		goto respond;
	req.out = kmalloc(max_t(size_t, req.out_len, 1), GFP_KERNEL | __GFP_NOWARN);
	req.in = kzalloc(max_t(size_t, req.in_len, 1), GFP_KERNEL | __GFP_NOWARN);
	if (!req.out || !req.in)
		goto respond;
	n = vringh_iov_pull_iotlb(&vq->vring, &vq->out_iov, req.out, req.out_len);
	if (n != req.out_len)
		goto respond;
	if (req.out_len >= sizeof(__le32))
		opcode = le32_to_cpu(*(__le32 *)req.out);
	vcrs_sim_count(sim, qidx, opcode);
	hostile = vcrs_sim_hostile_pick(sim, is_ctrl, opcode);

	if (hostile == VCRS_HOSTILE_NO_ANSWER) {
		kfree(req.out);
		kfree(req.in);
		return true;
	}
	if ((is_ctrl && (sim->faults.lose_ctrl ||
			 (sim->faults.lose_ctrl_next && sim->faults.lose_ctrl_next--))) ||
	    (!is_ctrl && sim->faults.lose_every &&
	     ++sim->data_count % sim->faults.lose_every == 0)) {
		/* A lost request: taken off the ring, never returned. */
		sim->stats.lost++;
		kfree(req.out);
		kfree(req.in);
		return true;
	}
	if (vcrs_sim_fault_due(sim, &req, is_ctrl, opcode)) {
		req.status = sim->faults.fail_status;
		if (is_ctrl && req.in_len + 1 >= sizeof(struct virtio_crypto_session_input)) {
			/* A create-session answer carries its status in the session input. */
			struct virtio_crypto_session_input *si = (void *)req.in;

			si->status = cpu_to_le32(sim->faults.fail_status);
			req.written = sizeof(*si) - 1;
		}
		goto respond;
	}
	if (is_ctrl)
		vcrs_sim_handle_ctrl(sim, &req);
	else
		vcrs_sim_handle_data(sim, &req);
	if (hostile == VCRS_HOSTILE_BOGUS_SESSION && req.status == VIRTIO_CRYPTO_OK &&
	    req.written + 1 >= sizeof(struct virtio_crypto_session_input)) {
		struct virtio_crypto_session_input *si = (void *)req.in;
		u64 created = le64_to_cpu(si->session_id), other;

		if (vcrs_sim_hostile_other_session(sim, created, &other)) {
			/* The driver only ever hears of the other id: nothing is leaked. */
			si->session_id = cpu_to_le64(other);
			vcrs_sim_forget_session(sim, created);
		} else {
			sim->hostile.done[VCRS_HOSTILE_BOGUS_SESSION]--;
		}
	}

respond:
	if (req.status != VIRTIO_CRYPTO_OK)
		sim->stats.errors++;
	if (sim->faults.bad_status)
		req.status = sim->faults.bad_status;
	if (hostile == VCRS_HOSTILE_BAD_STATUS)
		req.status = vcrs_sim_hostile_status(sim);
	if (hostile == VCRS_HOSTILE_AKC_WRONG_STATUS || hostile == VCRS_HOSTILE_AKC_GARBAGE)
		vcrs_sim_hostile_akcipher(sim, hostile, opcode, &req);
	if (sim->faults.delay_ms)
		msleep(sim->faults.delay_ms);
	if (req.written > req.in_len)
		req.written = req.in_len;
	n = req.written ? vringh_iov_push_iotlb(&vq->vring, &vq->in_iov, req.in, req.written) : 0;
	used = n > 0 ? n : 0;
	/* The status is the last byte of the device-writable buffers. */
	vringh_kiov_advance(&vq->in_iov, req.in_len - used);
	if (vringh_iov_push_iotlb(&vq->vring, &vq->in_iov, &req.status, 1) == 1)
		used += 1;
	sim->stats.bytes += req.out_len;
	kfree(req.out);
	kfree(req.in);
	if (sim->faults.used_len)
		used = sim->faults.used_len;
	if (hostile == VCRS_HOSTILE_USED_HUGE)
		used = in_total + 4096;
	else if (hostile == VCRS_HOSTILE_USED_ZERO)
		used = 0;
	else if (hostile == VCRS_HOSTILE_USED_SHORT)
		used = in_total - 1;
	else if (hostile == VCRS_HOSTILE_AKC_USED_LONG)
		used = in_total + 1;
	if (hostile == VCRS_HOSTILE_SPURIOUS_IRQ) {
		/* An interrupt with nothing new in the used ring. */
		local_bh_disable();
		vringh_notify(&vq->vring);
		local_bh_enable();
	}
	/* Make the data visible before the used index moves. */
	smp_wmb();
	if (hostile == VCRS_HOSTILE_WRONG_ID) {
		/* An id past the ring: no descriptor, let alone a head. */
		vringh_complete_iotlb(&vq->vring, vq->vring.vring.num + 1, used);
		sim->hostile.stopped[qidx] = true;
		return true;
	}
	vringh_complete_iotlb(&vq->vring, vq->head, used);
	if (hostile == VCRS_HOSTILE_DOUBLE_ANSWER) {
		vringh_complete_iotlb(&vq->vring, vq->head, used);
		sim->hostile.stopped[qidx] = true;
	}
	return true;
}

static void vcrs_sim_work(struct vdpasim *vdpasim)
{
	struct vcrs_sim *sim = sim_of(vdpasim);
	bool reschedule = false;
	unsigned int i;

	mutex_lock(&vdpasim->mutex);
	if (!(vdpasim->status & VIRTIO_CONFIG_S_DRIVER_OK) || !vdpasim->running ||
	    (vdpasim->status & VIRTIO_CONFIG_S_NEEDS_RESET))
		goto out;
	for (i = 0; i < vdpasim->dev_attr.nvqs; i++) {
		struct vdpasim_virtqueue *vq = &vdpasim->vqs[i];
		int reqs = 0;

		if (!vq->ready || sim->hostile.stopped[i])
			continue;
		while (vcrs_sim_handle_one(sim, i)) {
			smp_wmb();
			local_bh_disable();
			if (vringh_need_notify_iotlb(&vq->vring) > 0)
				vringh_notify(&vq->vring);
			local_bh_enable();
			if (++reqs >= 16) {
				reschedule = true;
				break;
			}
		}
	}
out:
	mutex_unlock(&vdpasim->mutex);
	if (reschedule)
		vdpasim_schedule_work(vdpasim);
}

/* The core ignores config callbacks; we keep it to raise config changes. */
static void vcrs_sim_set_config_cb(struct vdpa_device *vdpa, struct vdpa_callback *cb)
{
	struct vcrs_sim *sim = sim_of(container_of(vdpa, struct vdpasim, vdpa));

	sim->config_cb = *cb;
}

void vcrs_sim_config_changed(struct vcrs_sim *sim)
{
	if (sim->config_cb.callback)
		sim->config_cb.callback(sim->config_cb.private);
}

static u16 vcrs_sim_get_vq_num_max(struct vdpa_device *vdpa)
{
	struct vcrs_sim *sim = sim_of(container_of(vdpa, struct vdpasim, vdpa));

	return sim->params.queue_size;
}

/* virtio_vdpa sizes its rings from this one: the configured size until DRIVER_OK. */
static u16 vcrs_sim_get_vq_size(struct vdpa_device *vdpa, u16 idx)
{
	struct vcrs_sim *sim = sim_of(container_of(vdpa, struct vdpasim, vdpa));

	return min_t(u16, sim->core_ops->get_vq_size(vdpa, idx), sim->params.queue_size);
}

/* A device reset ends every session, as the specification requires. */
static int vcrs_sim_reset(struct vdpa_device *vdpa)
{
	struct vcrs_sim *sim = sim_of(container_of(vdpa, struct vdpasim, vdpa));
	int ret = sim->core_ops->reset(vdpa);

	mutex_lock(&sim->vdpasim.mutex);
	vcrs_sim_destroy_sessions(sim);
	memset(sim->hostile.stopped, 0, sizeof(sim->hostile.stopped));
	mutex_unlock(&sim->vdpasim.mutex);
	return ret;
}

static int vcrs_sim_compat_reset(struct vdpa_device *vdpa, u32 flags)
{
	struct vcrs_sim *sim = sim_of(container_of(vdpa, struct vdpasim, vdpa));
	int ret = sim->core_ops->compat_reset(vdpa, flags);

	mutex_lock(&sim->vdpasim.mutex);
	vcrs_sim_destroy_sessions(sim);
	memset(sim->hostile.stopped, 0, sizeof(sim->hostile.stopped));
	mutex_unlock(&sim->vdpasim.mutex);
	return ret;
}

static void vcrs_sim_free(struct vdpasim *vdpasim)
{
	struct vcrs_sim *sim = sim_of(vdpasim);

	vcrs_sim_debugfs_exit(sim);
	vcrs_sim_destroy_sessions(sim);
	idr_destroy(&sim->sessions);
}

static void vcrs_sim_mgmtdev_release(struct device *dev)
{
}

static struct device vcrs_sim_mgmtdev_dev = {
	.init_name = "vdpasim_crypto",
	.release = vcrs_sim_mgmtdev_release,
};

static int vcrs_sim_dev_add(struct vdpa_mgmt_dev *mdev, const char *name,
			    const struct vdpa_dev_set_config *config)
{
	struct vdpasim_dev_attr attr = {};
	struct vdpasim *vdpasim;
	struct vcrs_sim *sim;
	u32 nq = clamp_t(u32, data_queues, 1, VCRS_SIM_MAX_DATAQ);
	u32 ecdsa = ecdsa_algo_id;
	int ret;

	/* ECDSA is 2 or 3: 1 is RSA's, and no other numbering exists. */
	if (ecdsa != 2 && ecdsa != 3)
		return -EINVAL;

	attr.mgmt_dev = mdev;
	attr.name = name;
	attr.id = VIRTIO_ID_CRYPTO;
	/* Indirect descriptors, as QEMU's device offers them: large requests need them. */
	attr.supported_features = VDPASIM_FEATURES | BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC);
	attr.nvqs = nq + 1;
	attr.ngroups = 1;
	attr.nas = 1;
	attr.alloc_size = sizeof(struct vcrs_sim);
	attr.config_size = sizeof(struct virtio_crypto_config);
	attr.get_config = vcrs_sim_get_config;
	attr.work_fn = vcrs_sim_work;
	attr.free = vcrs_sim_free;

	vdpasim = vdpasim_create(&attr, config);
	if (IS_ERR(vdpasim))
		return PTR_ERR(vdpasim);
	sim = sim_of(vdpasim);
	idr_init(&sim->sessions);
	sim->params = (struct vcrs_sim_params){
		.data_queues = nq,
		.queue_size = clamp_t(u32, queue_size, 2, 256),
		.services = services,
		.chaining = chaining,
		.cipher_l = cipher_l, .cipher_h = cipher_h, .hash = hash,
		.mac_l = mac_l, .mac_h = mac_h, .aead = aead,
		.akcipher = akcipher_algos < 0 ? BIT(VIRTIO_CRYPTO_AKCIPHER_RSA) | BIT(ecdsa) :
						 (u32)akcipher_algos,
		.ecdsa_algo = ecdsa,
		.max_akcipher_key_len = max_akcipher_key_len,
		.bad_key_status = akc_bad_key_status,
		.max_cipher_key_len = max_cipher_key_len,
		.max_auth_key_len = max_auth_key_len,
		.max_size = min_t(u64, max_size, 4 << 20),
		.max_sessions = max_sessions,
		.whole_blocks = whole_blocks,
		.report_data_queues = report_data_queues,
		/*
		 * Any count: virtio_vdpa refuses a queue index past the device's
		 * (ENOENT) before calling into the simulator, which indexes its
		 * queues unchecked.
		 */
		.reported_data_queues = reported_data_queues,
		.report_max_size = report_max_size,
		.reported_max_size = reported_max_size,
		.status_extra = status_extra,
	};
	sim->faults.hw_ready = ready_at_start;
	prandom_seed_state(&sim->hostile.rnd, 0);
	sim->hostile.queues = 3;

	/* Our overrides on top of the core's operations. */
	sim->core_ops = vdpasim->vdpa.config;
	sim->ops = *sim->core_ops;
	sim->ops.set_config_cb = vcrs_sim_set_config_cb;
	sim->ops.get_vq_num_max = vcrs_sim_get_vq_num_max;
	if (sim->ops.get_vq_size)
		sim->ops.get_vq_size = vcrs_sim_get_vq_size;
	sim->ops.reset = vcrs_sim_reset;
	if (sim->ops.compat_reset)
		sim->ops.compat_reset = vcrs_sim_compat_reset;
	vdpasim->vdpa.config = &sim->ops;

	vcrs_sim_debugfs_init(sim, name);
	ret = _vdpa_register_device(&vdpasim->vdpa, nq + 1);
	if (ret) {
		put_device(&vdpasim->vdpa.dev);
		return ret;
	}
	return 0;
}

static void vcrs_sim_dev_del(struct vdpa_mgmt_dev *mdev, struct vdpa_device *dev)
{
	_vdpa_unregister_device(dev);
}

static const struct vdpa_mgmtdev_ops vcrs_sim_mgmtdev_ops = {
	.dev_add = vcrs_sim_dev_add,
	.dev_del = vcrs_sim_dev_del,
};

static struct virtio_device_id vcrs_sim_id_table[] = {
	{ VIRTIO_ID_CRYPTO, VIRTIO_DEV_ANY_ID },
	{ 0 },
};

static struct vdpa_mgmt_dev vcrs_sim_mgmtdev = {
	.device = &vcrs_sim_mgmtdev_dev,
	.id_table = vcrs_sim_id_table,
	.ops = &vcrs_sim_mgmtdev_ops,
};

static int __init vcrs_sim_init(void)
{
	int ret;

	vcrs_sim_debugfs_module_init();
	ret = device_register(&vcrs_sim_mgmtdev_dev);
	if (ret) {
		put_device(&vcrs_sim_mgmtdev_dev);
		vcrs_sim_debugfs_module_exit();
		return ret;
	}
	ret = vdpa_mgmtdev_register(&vcrs_sim_mgmtdev);
	if (ret) {
		device_unregister(&vcrs_sim_mgmtdev_dev);
		vcrs_sim_debugfs_module_exit();
	}
	return ret;
}

static void __exit vcrs_sim_exit(void)
{
	vdpa_mgmtdev_unregister(&vcrs_sim_mgmtdev);
	device_unregister(&vcrs_sim_mgmtdev_dev);
	vcrs_sim_debugfs_module_exit();
}

module_init(vcrs_sim_init);
module_exit(vcrs_sim_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Simulated virtio crypto device on the vDPA simulator (test infrastructure)");
