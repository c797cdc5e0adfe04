// SPDX-License-Identifier: GPL-2.0
/*
 * vcrs_sim: debugfs, one directory per device under /sys/kernel/debug/vcrs_sim/.
 *
 * Faults (read-write):
 *   fail_opcode, fail_status, fail_every  fail every Nth request with that
 *                                         opcode with that status
 *   fail_chain                            1: only chained requests (op_type
 *                                         ALGORITHM_CHAINING, which use the
 *                                         CIPHER opcodes 0 and 1) count as
 *                                         fail_opcode; 0 (the default): every
 *                                         request with that opcode
 *   delay_ms                              delay each completion
 *   lose_every                            never complete every Nth data request
 *   lose_ctrl                             never complete control requests
 *   lose_ctrl_next                        never complete the next N control
 *                                         requests (counts down to 0)
 *   used_len                              report this used length (0: true)
 *   bad_status                            write this status byte (0: off)
 *   hw_ready                              write 0/1: set the HW_READY bit and
 *                                         raise a configuration change
 *   needs_reset                           write 1: the device fails as a whole:
 *                                         it sets DEVICE_NEEDS_RESET, stops
 *                                         serving (requests in flight stay
 *                                         unanswered) and raises a configuration
 *                                         change; a driver reset clears it
 *   hostile_mask, hostile_every,           the hostile device (see
 *   hostile_seed, hostile_queues          vcrs_sim_hostile.c)
 * Counters (read-only): stats (AKCIPHER's: akcipher_sessions_open,
 * akcipher_sessions_created, akcipher_requests, akcipher_verify_ok,
 * akcipher_verify_failed, besides the per-opcode counts opcode_0x0400..0x0405).
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "vcrs_sim.h"

static struct dentry *vcrs_sim_root;

static int hw_ready_get(void *data, u64 *val)
{
	struct vcrs_sim *sim = data;

	*val = sim->faults.hw_ready;
	return 0;
}

static int hw_ready_set(void *data, u64 val)
{
	struct vcrs_sim *sim = data;

	mutex_lock(&sim->vdpasim.mutex);
	sim->faults.hw_ready = !!val;
	mutex_unlock(&sim->vdpasim.mutex);
	vcrs_sim_config_changed(sim);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(hw_ready_fops, hw_ready_get, hw_ready_set, "%llu\n");

static int needs_reset_get(void *data, u64 *val)
{
	struct vcrs_sim *sim = data;

	*val = !!(sim->vdpasim.status & VIRTIO_CONFIG_S_NEEDS_RESET);
	return 0;
}

static int needs_reset_set(void *data, u64 val)
{
	struct vcrs_sim *sim = data;

	if (!val)
		return -EINVAL;	/* only a driver reset clears it */
	mutex_lock(&sim->vdpasim.mutex);
	sim->vdpasim.status |= VIRTIO_CONFIG_S_NEEDS_RESET;
	mutex_unlock(&sim->vdpasim.mutex);
	vcrs_sim_config_changed(sim);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(needs_reset_fops, needs_reset_get, needs_reset_set, "%llu\n");

static int stats_show(struct seq_file *m, void *v)
{
	struct vcrs_sim *sim = m->private;
	struct vcrs_sim_stats *st = &sim->stats;
	unsigned int i, svc, op;

	mutex_lock(&sim->vdpasim.mutex);
	seq_printf(m, "sessions_open %u\n", st->sessions_open);
	seq_printf(m, "akcipher_sessions_open %u\nakcipher_sessions_created %llu\n",
		   st->akcipher_sessions_open, st->akcipher_sessions_created);
	seq_printf(m, "akcipher_requests %llu\nakcipher_verify_ok %llu\nakcipher_verify_failed %llu\n",
		   st->akcipher_requests, st->akcipher_verify_ok, st->akcipher_verify_failed);
	seq_printf(m, "bytes %llu\nerrors %llu\nlost %llu\n", st->bytes, st->errors, st->lost);
	for (i = 0; i < sim->params.data_queues; i++)
		seq_printf(m, "dataq%u_requests %llu\n", i, st->requests[i]);
	seq_printf(m, "controlq_requests %llu\n",
		   st->requests[min_t(unsigned int, sim->params.data_queues, VCRS_SIM_MAX_DATAQ)]);
	for (i = 0; i < VCRS_HOSTILE_KINDS; i++)
		seq_printf(m, "hostile_%s %llu\n", vcrs_sim_hostile_names[i], sim->hostile.done[i]);
	for (svc = 0; svc < 5; svc++)
		for (op = 0; op < VCRS_SIM_NUM_OPCODES; op++)
			if (st->by_opcode[svc][op])
				seq_printf(m, "opcode_%#06x %llu\n", (svc << 8) | op,
					   st->by_opcode[svc][op]);
	mutex_unlock(&sim->vdpasim.mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

void vcrs_sim_debugfs_init(struct vcrs_sim *sim, const char *name)
{
	struct vcrs_sim_faults *f = &sim->faults;
	struct dentry *d;

	d = debugfs_create_dir(name, vcrs_sim_root);
	sim->debugfs = d;
	debugfs_create_u32("fail_opcode", 0644, d, &f->fail_opcode);
	debugfs_create_u32("fail_status", 0644, d, &f->fail_status);
	debugfs_create_u32("fail_every", 0644, d, &f->fail_every);
	debugfs_create_u32("fail_chain", 0644, d, &f->fail_chain);
	debugfs_create_u32("delay_ms", 0644, d, &f->delay_ms);
	debugfs_create_u32("lose_every", 0644, d, &f->lose_every);
	debugfs_create_u32("lose_ctrl", 0644, d, &f->lose_ctrl);
	debugfs_create_u32("lose_ctrl_next", 0644, d, &f->lose_ctrl_next);
	debugfs_create_u32("used_len", 0644, d, &f->used_len);
	debugfs_create_u32("bad_status", 0644, d, &f->bad_status);
	debugfs_create_u32("hostile_mask", 0644, d, &sim->hostile.mask);
	debugfs_create_u32("hostile_every", 0644, d, &sim->hostile.every);
	debugfs_create_u32("hostile_seed", 0644, d, &sim->hostile.seed);
	debugfs_create_u32("hostile_queues", 0644, d, &sim->hostile.queues);
	debugfs_create_file("hw_ready", 0644, d, sim, &hw_ready_fops);
	debugfs_create_file("needs_reset", 0644, d, sim, &needs_reset_fops);
	debugfs_create_file("stats", 0444, d, sim, &stats_fops);
}

void vcrs_sim_debugfs_module_init(void)
{
	vcrs_sim_root = debugfs_create_dir("vcrs_sim", NULL);
}

void vcrs_sim_debugfs_module_exit(void)
{
	debugfs_remove_recursive(vcrs_sim_root);
	vcrs_sim_root = NULL;
}

void vcrs_sim_debugfs_exit(struct vcrs_sim *sim)
{
	debugfs_remove_recursive(sim->debugfs);
	sim->debugfs = NULL;
}
