// One-way delay models of the simulated networks, as plain data (no closures) so that the
// generator's hot loop is a switch over numbers. docs/simulator.md explains the shapes.
import type { PacketDraws } from './prng.ts';

/**
 * 5G radio access: a fixed part (core and transport), waiting for the next slot (uniform over
 * one slot), a log-normal body (scheduling, queueing, processing) and HARQ retransmissions,
 * each adding one HARQ round trip. The number of retransmissions K is geometric:
 * P(K >= j) = harqProbability^j for j <= maxRetransmissions (a transport block fails its
 * first transmission with the initial block error ratio; TS 38.214 §5.2.2.1 uses 0.1 for the
 * eMBB CQI tables and 1e-5 for the URLLC table). The rare retransmissions give the long,
 * stepped tail of radio delay. The parameter values are a design choice, not a measurement.
 */
export interface RadioDelay {
  readonly kind: 'radio';
  readonly baseNs: number;
  readonly slotNs: number;
  readonly medianNs: number;
  readonly sigma: number;
  readonly harqProbability: number;
  readonly harqRttNs: number;
  readonly maxRetransmissions: number;
}

/**
 * TSN scheduled traffic (IEEE 802.1Qbv gates): a constant path delay (store-and-forward and
 * bridge latency per hop) plus a small triangular variation on [0, jitterBoundNs] (residual
 * time-synchronisation error, gPTP). Bounded by construction: delay in [baseNs, baseNs + jitterBoundNs].
 */
export interface BoundedDelay {
  readonly kind: 'bounded';
  readonly baseNs: number;
  readonly jitterBoundNs: number;
}

export type DelayModel = RadioDelay | BoundedDelay;

/** Draw indices a delay uses (draws j0 .. j0 + DELAY_DRAWS - 1 of the packet). */
export const DELAY_DRAWS = 4;

/**
 * One delay in ns (not rounded). `scale` multiplies the log-normal body and `extraHarq` adds
 * to the retransmission probability (a degrading cell); both are neutral at 1 and 0.
 */
export function drawDelayNs(m: DelayModel, d: PacketDraws, j0: number, scale: number, extraHarq: number): number {
  if (m.kind === 'bounded') return m.baseNs + (m.jitterBoundNs * (d.draw(j0) + d.draw(j0 + 1))) / 2;
  const body = m.medianNs * scale * Math.exp(m.sigma * d.normal(j0 + 1));
  const p = Math.min(0.999, m.harqProbability + extraHarq);
  let k = 0;
  if (p > 0) {
    const u = 1 - d.draw(j0 + 3);
    k = Math.min(m.maxRetransmissions, Math.floor(Math.log(u) / Math.log(p)));
  }
  return m.baseNs + m.slotNs * d.draw(j0) + body + k * m.harqRttNs;
}

/** The largest delay a model can produce with neutral fault factors (Infinity for radio: log-normal). */
export function delayBoundNs(m: DelayModel): number {
  return m.kind === 'bounded' ? m.baseNs + m.jitterBoundNs : Infinity;
}
